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
    private final Closer closer;

    /**
     * The descriptors open per inode (dev, ino), so a removal reaches every one of them, cached or not
     * (an object replaced in the cache, or still in some Inode, holds the inode and its blocks too).
     */
    private static final java.util.concurrent.ConcurrentHashMap<FileKey, java.util.Set<Closer>> BY_INODE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Owns the fd number: closes it once (when the object is collected), or retires it before that. */
    private static final class Closer implements Runnable {
        private final int fd;
        private final FileKey inode;
        private boolean closed;
        private boolean retired;
        private int pins;

        Closer(int fd, FileKey inode) {
            this.fd = fd;
            this.inode = inode;
        }

        @Override
        public void run() {
            synchronized (this) {
                closed = true;
                At.close(fd);
            }
            BY_INODE.computeIfPresent(inode, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
            OPEN.decrementAndGet();
        }

        synchronized boolean retired() {
            return retired || closed;
        }

        synchronized boolean pinned() {
            return pins > 0;
        }

        synchronized void pin(int delta) {
            pins += delta;
        }

        /** Under this lock, so the number cannot have been closed and reused by another file meanwhile. */
        synchronized void retire(boolean unmounted) {
            if (closed || retired || pins > 0 && !unmounted) {
                return;
            }
            try {
                if (!unmounted && At.fstat(fd).nlink() != 0) {
                    return; // linked again meanwhile (or another name was left): still a live object
                }
                At.retire(fd);
                retired = true;
            } catch (io.edgenfsd.vfs.linux.ErrnoException e) {
                // nothing lost: the fd still closes when its object is collected, as before
            }
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
        Closer c = new Closer(fd, new FileKey(dev, ino));
        this.closer = c;
        BY_INODE.computeIfAbsent(c.inode, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(c);
        CLEANER.register(this, c);
    }

    /**
     * The inode's last name is gone: every descriptor of it (checked: nlink 0) lets go now, so its blocks are freed at once
     * rather than when the collector finds the objects (42-46 s on a Pi). The fd numbers stay taken (an
     * empty memfd is put in their place, see {@link At#retire}): a thread still holding such an object
     * reaches nothing (its fstat no longer matches {@link #sameObject}), never a file opened later under
     * a reused number.
     */
    static void retireAll(long dev, long ino) {
        java.util.Set<Closer> set = BY_INODE.get(new FileKey(dev, ino));
        if (set == null) {
            return;
        }
        for (Closer c : set) {
            if (c.pinned()) {
                return; // an OPEN still needs the inode: its fds stay until the last unpin
            }
        }
        for (Closer c : set) {
            c.retire(false);
        }
    }

    /**
     * A crossed mount of filesystem {@code dev} left the mount table: every descriptor on it lets go now
     * (as {@link #retireAll} does), so a lazily unmounted filesystem is not kept alive by this server.
     */
    static void retireFilesystem(long dev) {
        for (java.util.Map.Entry<FileKey, java.util.Set<Closer>> e : BY_INODE.entrySet()) {
            if (e.getKey().dev() == dev) {
                for (Closer c : e.getValue()) {
                    c.retire(true);
                }
            }
        }
    }

    /**
     * Keeps this object's inode reachable through its fds even after its last name goes (an OPEN of it:
     * the holder reads and writes on until CLOSE); {@link #retireAll} leaves every fd of a pinned inode.
     */
    void pin() {
        closer.pin(1);
    }

    /** Undoes one {@link #pin}; the last one lets the fds go now if the inode has no name left. */
    void unpin() {
        closer.pin(-1);
        if (!closer.pinned()) {
            retireAll(dev, ino);
        }
    }

    /** Whether this object's fd was let go of ({@link #retireAll}): it no longer reaches the inode. */
    boolean isRetired() {
        return closer.retired();
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
