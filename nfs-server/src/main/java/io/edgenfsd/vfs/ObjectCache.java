package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objects recently named by a file handle, with their open O_PATH fd: a PUTFH of a cached handle costs
 * no open_by_handle_at and no MAC. Bounded (least recently used go first), well under RLIMIT_NOFILE; an
 * evicted object's fd closes when no operation uses it any more.
 */
final class ObjectCache {
    record Entry(Export export, FsObject object) {
    }

    private final int max;
    private final LinkedHashMap<HandleKey, Entry> map;

    ObjectCache(int max) {
        this.max = max;
        this.map = new LinkedHashMap<>(Math.min(max, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<HandleKey, Entry> e) {
                return size() > ObjectCache.this.max;
            }
        };
    }

    synchronized Entry get(byte[] handle) {
        return map.get(new HandleKey(handle));
    }

    synchronized void put(byte[] handle, Export e, FsObject o) {
        map.put(new HandleKey(handle), new Entry(e, o));
        long now = System.nanoTime();
        if (now - lastSweep > SWEEP_NS) {
            lastSweep = now;
            sweepUnlinked();
        }
    }

    /** How long a file removed on the host (not through the server) may stay pinned by a cached fd, at most. */
    private static final long SWEEP_NS = 30_000_000_000L;
    private long lastSweep = System.nanoTime();

    /**
     * Drops objects whose last link is gone (removed behind the server's back): a cached fd keeps an
     * unlinked inode and its blocks allocated. Removals through the server are forgotten at once.
     */
    private void sweepUnlinked() {
        for (Iterator<Entry> it = map.values().iterator(); it.hasNext(); ) {
            FsObject o = it.next().object();
            try {
                if (io.edgenfsd.vfs.linux.At.fstat(o.fd).nlink() == 0) {
                    it.remove();
                }
            } catch (io.edgenfsd.vfs.linux.ErrnoException e) {
                it.remove();
            } finally {
                java.lang.ref.Reference.reachabilityFence(o);
            }
        }
    }

    synchronized void remove(byte[] handle) {
        map.remove(new HandleKey(handle));
    }

    /** Drops every handle of an object (removed: its fd must not keep the inode and its blocks alive). */
    synchronized void forget(long dev, long ino) {
        for (Iterator<Entry> it = map.values().iterator(); it.hasNext(); ) {
            FsObject o = it.next().object();
            if (o.dev == dev && o.ino == ino) {
                it.remove();
            }
        }
    }

    synchronized int size() {
        return map.size();
    }
}
