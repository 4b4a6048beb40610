package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * An object a file handle names: either a node of the pseudo filesystem that joins the exports together
 * (RFC 8881 section 7.3) or a real object inside an export.
 */
public final class Inode {
    private final Export export;
    private final Path path;
    private final String pseudoPath;
    private final byte[] handle;
    private final FileKey key;
    private final Stat resolvedStat;

    private Inode(Export export, Path path, String pseudoPath, byte[] handle, FileKey key, Stat resolvedStat) {
        this.export = export;
        this.path = path;
        this.pseudoPath = pseudoPath;
        this.handle = handle;
        this.key = key;
        this.resolvedStat = resolvedStat;
    }

    static Inode real(Export export, Path path, byte[] handle, FileKey key) {
        return new Inode(export, path, null, handle, key, null);
    }

    static Inode real(Export export, Path path, byte[] handle, FileKey key, Stat resolvedStat) {
        return new Inode(export, path, null, handle, key, resolvedStat);
    }

    static Inode pseudo(String pseudoPath, byte[] handle, FileKey key) {
        return new Inode(null, null, pseudoPath, handle, key, null);
    }

    /**
     * The attributes read when this object was looked up (null if none were): a GETATTR that follows the
     * LOOKUP in the same COMPOUND with nothing changed in between may answer from them.
     */
    public Stat resolvedStat() {
        return resolvedStat;
    }

    public boolean isPseudo() {
        return export == null;
    }

    /** The export this object lies in; null for pseudo nodes. */
    public Export export() {
        return export;
    }

    /** The object's path on the host; null for pseudo nodes. */
    public Path path() {
        return path;
    }

    public String pseudoPath() {
        return pseudoPath;
    }

    public byte[] handle() {
        return Arrays.copyOf(handle, handle.length);
    }

    public FileKey key() {
        return key;
    }

    public boolean isExportRoot() {
        return export != null && path.toString().equals(export.path());
    }

    @Override
    public String toString() {
        return isPseudo() ? "pseudo:" + pseudoPath : path.toString();
    }
}
