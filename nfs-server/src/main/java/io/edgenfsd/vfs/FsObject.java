package io.edgenfsd.vfs;

import io.edgenfsd.vfs.linux.At;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One object of an export reached through an {@code O_PATH} file descriptor (for a regular file this
 * server created, the read-only descriptor it was created with): the descriptor names the
 * object itself (not a path), so renames and symbolic links swapped into its former path cannot redirect
 * what it reaches (issue 11). The fd is closed once the object is neither cached ({@link ObjectCache})
 * nor referenced by an {@link Inode} in use: code that passes {@link #fd} to a system call keeps the
 * object reachable until the call returns ({@link java.lang.ref.Reference#reachabilityFence}).
 */
public final class FsObject {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "edge-nfsd-fd-closer");
        t.setDaemon(true);
        return t;
    });
    private static final AtomicInteger OPEN = new AtomicInteger();

    final int fd;
    final long dev;
    final long ino;
    final int type;
    final long mountId;

    private record Closer(int fd) implements Runnable {
        @Override
        public void run() {
            At.close(fd);
            OPEN.decrementAndGet();
        }
    }

    /** Takes ownership of {@code fd}; {@code st} is its statx. */
    FsObject(int fd, io.edgenfsd.vfs.linux.Stat st) {
        this.fd = fd;
        this.dev = st.dev();
        this.ino = st.ino();
        this.type = st.fileType();
        this.mountId = st.mountId();
        OPEN.incrementAndGet();
        CLEANER.register(this, new Closer(fd));
    }

    boolean isDirectory() {
        return type == Stat.S_IFDIR;
    }

    boolean sameObject(io.edgenfsd.vfs.linux.Stat st) {
        return st.dev() == dev && st.ino() == ino;
    }

    /** Object descriptors open in this process (cached or in use), for tests and metrics. */
    public static int openCount() {
        return OPEN.get();
    }

    @Override
    public String toString() {
        return "fd " + fd + " (" + dev + ":" + ino + ")";
    }
}
