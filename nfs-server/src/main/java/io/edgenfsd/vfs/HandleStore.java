package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;
import io.edgenfsd.status.NfsException;

/**
 * Turns objects into opaque file handles and back (DESIGN.md: file handles). Objects are fds, never paths:
 * a handle is made from what an fd refers to, and resolving one gives a new O_PATH fd of that very object.
 */
public interface HandleStore {
    /**
     * Handle bytes for the object {@code o} of export {@code e}, found as {@code name} in {@code parent}
     * (both null for an export root).
     */
    byte[] handleFor(Export e, FsObject o, FsObject parent, String name) throws NfsException;

    /** Handle bytes for {@code name} in {@code dir} without opening it (READDIR); {@code st} is its statx. */
    byte[] handleAt(Export e, FsObject dir, String name, io.edgenfsd.vfs.linux.Stat st) throws NfsException;

    /**
     * The handle {@link #handleFor} would give the object {@code name} in {@code dir} names, found without
     * opening it, so LOOKUP of a cached object opens no fd: null when the store cannot tell that way or the
     * name is on another mount than {@code dir}; {@link #NO_SUCH_NAME} when there is no such name.
     */
    default byte[] handleOfName(Export e, FsObject dir, String name) throws NfsException {
        return null;
    }

    /** {@link #handleOfName}'s answer for a name that is not in the directory. */
    byte[] NO_SUCH_NAME = new byte[0];

    /** The export id a handle claims; the caller finds the export and then calls {@link #open}. */
    int exportId(byte[] handle) throws NfsException;

    /** A new O_PATH fd of the handle's object, or NFS4ERR_STALE / NFS4ERR_BADHANDLE. Run as the server. */
    FsObject open(Export e, byte[] handle) throws NfsException;

    /**
     * A real fd (O_RDONLY, O_RDWR ... as {@code flags} say) of the object {@code o} that {@code handle} names,
     * opened without a path; the caller owns it. Run as the server.
     */
    int reopen(Export e, byte[] handle, FsObject o, int flags) throws NfsException;

    /** The mount fd (for open_by_handle_at) of a filesystem crossed into below an export (crossmnt). */
    interface CrossedMountFds {
        /** An fd of a live mount of filesystem {@code fsDev} inside {@code e}; NFS4ERR_STALE when there is none. */
        int mountFd(Export e, long fsDev) throws NfsException;
    }

    /** Where handles of objects on crossed mounts find their mount fd (see {@link LocalFs}). */
    default void crossedMounts(CrossedMountFds fds) {
    }

    /** Whether handles survive a restart (kernel handles) or not (in-memory table). */
    boolean persistent();

    /** Reload hook: told before {@code next} replaces the exports (see {@link LocalFs#replaceExports}). */
    default void exportsChanged(io.edgenfsd.export.ExportTable next) throws java.io.IOException {
    }

    /** Told after a rename through the server, for stores that remember where objects were found. */
    default void renamed(FsObject fromDir, String from, FsObject toDir, String to) {
    }
}
