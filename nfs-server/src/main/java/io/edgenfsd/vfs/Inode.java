package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;

import java.util.Arrays;

/**
 * An object a file handle names: either a node of the pseudo filesystem that joins the exports together
 * (RFC 8881 section 7.3) or a real object inside an export, reached through its fd ({@link FsObject}),
 * never through a path.
 */
public final class Inode {
    private final Export export;
    private final String pseudoPath;
    private final byte[] handle;
    private final FileKey key;
    private final Stat resolvedStat;
    private final boolean exportRoot;
    /** The object's O_PATH fd; null when only its handle was taken (READDIR) until first used. */
    volatile FsObject object;

    private Inode(Export export, String pseudoPath, byte[] handle, FileKey key, Stat resolvedStat,
                  boolean exportRoot, FsObject object) {
        this.export = export;
        this.pseudoPath = pseudoPath;
        this.handle = handle;
        this.key = key;
        this.resolvedStat = resolvedStat;
        this.exportRoot = exportRoot;
        this.object = object;
    }

    static Inode real(Export export, byte[] handle, FsObject object, Stat st, boolean exportRoot) {
        return new Inode(export, null, handle, FileKey.of(st.dev(), st.ino(), handle), st, exportRoot, object);
    }

    static Inode pseudo(String pseudoPath, byte[] handle, FileKey key) {
        return new Inode(null, pseudoPath, handle, key, null, false, null);
    }

    /**
     * The attributes read when this object was resolved or looked up: a GETATTR that follows the LOOKUP
     * in the same COMPOUND with nothing changed in between may answer from them; READDIR encodes them.
     */
    public Stat resolvedStat() {
        return resolvedStat;
    }

    /** Whether the object's fd is held (using it needs no open_by_handle_at). */
    public boolean isOpen() {
        return object != null;
    }

    public boolean isPseudo() {
        return export == null;
    }

    /** The export this object lies in; null for pseudo nodes. */
    public Export export() {
        return export;
    }

    public String pseudoPath() {
        return pseudoPath;
    }

    public byte[] handle() {
        return Arrays.copyOf(handle, handle.length);
    }

    byte[] handleBytes() {
        return handle;
    }

    public FileKey key() {
        return key;
    }

    public boolean isExportRoot() {
        return exportRoot;
    }

    @Override
    public String toString() {
        return isPseudo() ? "pseudo:" + pseudoPath : export.path() + ":" + key.dev() + ":" + key.ino();
    }
}
