package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.At;
import io.edgenfsd.vfs.linux.ErrnoException;
import io.edgenfsd.vfs.linux.LinuxCalls;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fallback for unprivileged runs (no open_by_handle_at): handles name (device, inode), and a bounded table
 * keeps, per object, its O_PATH fd and the directory fd and name it was found under, so it can be opened
 * for I/O relative to that directory (one component, O_NOFOLLOW, checked to be the same inode): still no
 * path strings. Handles do not survive a restart; an object evicted from the table is STALE.
 */
public final class InMemoryHandleStore implements HandleStore {
    static final byte KIND = 0x02;
    private static final int MAX = 8192;

    private static final class Entry {
        FsObject object;   // null until opened (READDIR only took a handle)
        FsObject parent;
        String name;

        Entry(FsObject object, FsObject parent, String name) {
            this.object = object;
            this.parent = parent;
            this.name = name;
        }
    }

    private final Map<FileKey, Entry> table = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileKey, Entry> e) {
            return size() > MAX;
        }
    };

    private static byte[] handle(Export e, long dev, long ino) {
        return ByteBuffer.allocate(21).put(KIND).putInt(e.id()).putLong(dev).putLong(ino).array();
    }

    @Override
    public synchronized byte[] handleFor(Export e, FsObject o, FsObject parent, String name) {
        Entry en = table.get(new FileKey(o.dev, o.ino));
        if (en == null) {
            table.put(new FileKey(o.dev, o.ino), new Entry(o, parent, name));
        } else {
            en.object = o;
            if (parent != null) {
                en.parent = parent;
                en.name = name;
            }
        }
        return handle(e, o.dev, o.ino);
    }

    @Override
    public synchronized byte[] handleAt(Export e, FsObject dir, String name, io.edgenfsd.vfs.linux.Stat st) {
        FileKey k = new FileKey(st.dev(), st.ino());
        Entry en = table.get(k);
        if (en == null) {
            table.put(k, new Entry(null, dir, name));
        } else {
            en.parent = dir;
            en.name = name;
        }
        return handle(e, st.dev(), st.ino());
    }

    @Override
    public int exportId(byte[] handle) throws NfsException {
        if (handle.length != 21 || handle[0] != KIND) {
            throw new NfsException(NfsStatus.BADHANDLE, "not one of our handles");
        }
        return ByteBuffer.wrap(handle, 1, 4).getInt();
    }

    private static FileKey key(byte[] handle) {
        ByteBuffer b = ByteBuffer.wrap(handle, 5, 16);
        return new FileKey(b.getLong(), b.getLong());
    }

    private synchronized Entry entry(byte[] handle) throws NfsException {
        Entry en = table.get(key(handle));
        if (en == null) {
            throw new NfsException(NfsStatus.STALE, "unknown handle (server restarted, or evicted)");
        }
        return en;
    }

    /** Opens the entry's name in its directory with {@code flags}, checked to be the very object. */
    private static int byName(Entry en, FileKey k, int flags) throws NfsException {
        FsObject dir;
        String name;
        synchronized (en) {
            dir = en.parent;
            name = en.name;
        }
        if (dir == null) {
            throw new NfsException(NfsStatus.STALE, "object no longer known by name");
        }
        try {
            int fd = At.openBeneath(dir.fd, name, flags, 0);
            io.edgenfsd.vfs.linux.Stat st = At.fstat(fd);
            if (st.dev() != k.dev() || st.ino() != k.ino()) {
                At.close(fd);
                throw new NfsException(NfsStatus.STALE, "name now refers to another object");
            }
            return fd;
        } catch (ErrnoException x) {
            NfsStatus s = Errno.status(x);
            throw new NfsException(s == NfsStatus.NOENT ? NfsStatus.STALE : s, x.getMessage());
        } finally {
            Reference.reachabilityFence(dir);
        }
    }

    @Override
    public FsObject open(Export e, byte[] handle) throws NfsException {
        Entry en = entry(handle);
        synchronized (en) {
            if (en.object != null) {
                return en.object;
            }
        }
        FileKey k = key(handle);
        int fd = byName(en, k, LinuxCalls.O_PATH);
        try {
            FsObject o = new FsObject(fd, At.fstat(fd));
            synchronized (en) {
                en.object = o;
            }
            return o;
        } catch (ErrnoException x) {
            At.close(fd);
            throw Errno.toNfs(x);
        }
    }

    @Override
    public int reopen(Export e, byte[] handle, FsObject o, int flags) throws NfsException {
        if (o.isDirectory()) {
            try {
                return At.reopenDirectory(o.fd);
            } catch (ErrnoException x) {
                throw Errno.toNfs(x);
            } finally {
                Reference.reachabilityFence(o);
            }
        }
        return byName(entry(handle), key(handle), flags);
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public synchronized void renamed(FsObject fromDir, String from, FsObject toDir, String to) {
        for (Entry en : table.values()) {
            synchronized (en) {
                if (en.parent != null && en.parent.dev == fromDir.dev && en.parent.ino == fromDir.ino
                        && from.equals(en.name)) {
                    en.parent = toDir;
                    en.name = to;
                }
            }
        }
    }
}
