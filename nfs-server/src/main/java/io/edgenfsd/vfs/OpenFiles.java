package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Open file channels per (file, access), so READ and WRITE do not open and close the file each time.
 * Bounded: the least recently used unused channel is closed when the cache is full. Channels are opened
 * from the file's handle (never a path) as the server; permission was checked at OPEN time, or by the
 * caller with {@link LocalFs#checkAccess} for anonymous I/O, as knfsd and Ganesha do.
 */
public final class OpenFiles {
    private record Key(FileKey file, boolean write) {
    }

    /** A channel on loan; give it back with {@link #close()}. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;

        Lease(Entry entry) {
            this.entry = entry;
        }

        public FileChannel channel() {
            return entry.channel;
        }

        /**
         * Reads into {@code dst} (direct) at {@code offset} only from the page cache: the bytes read (fewer
         * only at the end of the file), or -1 when that would wait on the disk. For the event loop.
         */
        public int readCached(java.nio.ByteBuffer dst, long offset) {
            return io.edgenfsd.vfs.linux.FdChannels.readWithoutWaiting(entry.fd, dst, offset);
        }

        @Override
        public void close() {
            release(entry);
        }
    }

    private static final class Entry {
        final Key key;
        final FileChannel channel;
        final int fd;
        int refs;
        boolean dead;

        Entry(Key key, FileChannel channel, int fd) {
            this.key = key;
            this.channel = channel;
            this.fd = fd;
        }
    }

    private final int max;
    private final LocalFs fs;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** Whether channels can go to Netty as sendfile regions (the JDK's own channels; see FdChannels). */
    public static boolean zeroCopy() {
        return io.edgenfsd.vfs.linux.FdChannels.nativeChannels();
    }

    public OpenFiles(int max, LocalFs fs) {
        this.max = max;
        this.fs = fs;
    }

    /** A channel already open for {@code file}, or null: never opens (for the event loop, which must not wait). */
    public synchronized Lease acquireIfOpen(Inode file, boolean write) {
        Entry e = entries.get(new Key(file.key(), write));
        if (e == null) {
            return null;
        }
        e.refs++;
        return new Lease(e);
    }

    public Lease acquire(Inode file, boolean write) throws NfsException {
        Key key = new Key(file.key(), write);
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null) {
                e.refs++;
                return new Lease(e);
            }
        }
        int fd = fs.openForIo(file, write);
        FileChannel ch = io.edgenfsd.vfs.linux.FdChannels.of(fd, write);
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null) {
                closeQuietly(ch);
            } else {
                e = new Entry(key, ch, fd);
                entries.put(key, e);
                evict();
            }
            e.refs++;
            return new Lease(e);
        }
    }

    private void evict() {
        Iterator<Entry> it = entries.values().iterator();
        while (entries.size() > max && it.hasNext()) {
            Entry e = it.next();
            if (e.refs == 0) {
                it.remove();
                closeQuietly(e.channel);
            }
        }
    }

    private synchronized void release(Entry e) {
        e.refs--;
        if (e.refs == 0 && e.dead) {
            closeQuietly(e.channel);
        }
    }

    /**
     * Closes the channels of a file (removed, or all opens of it closed) once nobody uses them. Matches on
     * device and inode, so a caller that only has a stat (no handle) still drops every generation.
     */
    public synchronized void forget(FileKey file) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.key.file().sameInode(file)) {
                it.remove();
                e.dead = true;
                if (e.refs == 0) {
                    closeQuietly(e.channel);
                }
            }
        }
    }

    /** At shutdown: forces what was written (UNSTABLE data not yet committed) and closes everything. */
    public synchronized void closeAll() {
        for (Entry e : entries.values()) {
            if (e.key.write()) {
                try {
                    e.channel.force(true);
                } catch (IOException ignored) {
                    // closing anyway; the client resends what it has not seen committed
                }
            }
            closeQuietly(e.channel);
        }
        entries.clear();
    }

    public synchronized int size() {
        return entries.size();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do: the data was forced where the protocol required it
        }
    }

}
