package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.export.Export;

import java.nio.file.Path;

/** Turns objects into opaque file handles and back (DESIGN.md: file handles). */
public interface HandleStore {
    /** Handle bytes for the object at {@code path} (whose lstat is {@code stat}) inside {@code export}. */
    byte[] handleFor(Export export, Path path, Stat stat) throws NfsException;

    /** The export id a handle claims; the caller finds the export and then calls {@link #resolve}. */
    int exportId(byte[] handle) throws NfsException;

    /** The current path of the object, or NFS4ERR_STALE / NFS4ERR_BADHANDLE. */
    Path resolve(Export export, byte[] handle) throws NfsException;

    /**
     * Where a handle's object is, and its {@link FileKey} when the store knows it without asking the
     * filesystem again (null otherwise: the caller stats the path).
     */
    record Located(Path path, FileKey key) {
    }

    /** {@link #resolve}, with the object's key when the store has it at hand (saves a stat per PUTFH). */
    default Located locate(Export export, byte[] handle) throws NfsException {
        return new Located(resolve(export, handle), null);
    }

    /** Whether handles survive a restart (kernel handles) or not (in-memory table). */
    boolean persistent();

    /** Reload hook: told before {@code next} replaces the exports (see {@link LocalFs#replaceExports}). */
    default void exportsChanged(io.edgenfsd.export.ExportTable next) throws java.io.IOException {
    }

    /** Told after a rename through the server so path-based stores follow the object. */
    default void renamed(Path from, Path to) {
    }
}
