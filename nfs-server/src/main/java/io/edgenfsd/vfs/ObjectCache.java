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
    /** The handles cached per object (dev, ino), so REMOVE forgets an object without a scan. */
    private final java.util.HashMap<FileKey, java.util.List<HandleKey>> byObject = new java.util.HashMap<>();

    ObjectCache(int max) {
        this.max = max;
        this.map = new LinkedHashMap<>(Math.min(max, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<HandleKey, Entry> e) {
                if (size() > ObjectCache.this.max) {
                    unindex(e.getKey(), e.getValue().object());
                    return true;
                }
                return false;
            }
        };
    }

    synchronized Entry get(byte[] handle) {
        return map.get(new HandleKey(handle));
    }

    private void unindex(HandleKey k, FsObject o) {
        FileKey f = new FileKey(o.dev, o.ino);
        java.util.List<HandleKey> l = byObject.get(f);
        if (l != null && l.remove(k) && l.isEmpty()) {
            byObject.remove(f);
        }
    }

    synchronized void put(byte[] handle, Export e, FsObject o) {
        HandleKey k = new HandleKey(handle);
        Entry old = map.put(k, new Entry(e, o));
        if (old != null) {
            unindex(k, old.object());
        }
        byObject.computeIfAbsent(new FileKey(o.dev, o.ino), x -> new java.util.ArrayList<>(1)).add(k);
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
        for (Iterator<Map.Entry<HandleKey, Entry>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<HandleKey, Entry> en = it.next();
            FsObject o = en.getValue().object();
            try {
                if (io.edgenfsd.vfs.linux.At.fstat(o.fd).nlink() == 0) {
                    it.remove();
                    unindex(en.getKey(), o);
                }
            } catch (io.edgenfsd.vfs.linux.ErrnoException e) {
                it.remove();
                unindex(en.getKey(), o);
            } finally {
                java.lang.ref.Reference.reachabilityFence(o);
            }
        }
    }

    /** A cached handle with what it names. */
    record Known(byte[] handle, FsObject object) {
    }

    /**
     * The one handle of export {@code e} cached for object (dev, ino), or null when there is none or more
     * than one (LOOKUP then takes the kernel handle, as it always did). While a cached object's fd is open
     * its inode cannot be freed, so no other file on {@code dev} can have {@code ino} meanwhile; an object
     * whose fd was retired (removed) is never the answer.
     */
    synchronized Known only(Export e, long dev, long ino) {
        java.util.List<HandleKey> l = byObject.get(new FileKey(dev, ino));
        if (l == null) {
            return null;
        }
        HandleKey found = null;
        FsObject o = null;
        for (HandleKey h : l) {
            Entry en = map.get(h);
            if (en != null && en.export() == e) {
                if (found != null) {
                    return null;
                }
                found = h;
                o = en.object();
            }
        }
        if (found == null || o.dev != dev || o.ino != ino || o.isRetired()) {
            return null;
        }
        return new Known(found.bytes().clone(), o);
    }

    synchronized void remove(byte[] handle) {
        HandleKey k = new HandleKey(handle);
        Entry e = map.remove(k);
        if (e != null) {
            unindex(k, e.object());
        }
    }

    /**
     * Drops every handle of an object (removed: its fd must not keep the inode and its blocks alive) and
     * returns them with what they named.
     */
    synchronized Map<HandleKey, Entry> forget(long dev, long ino) {
        java.util.List<HandleKey> l = byObject.remove(new FileKey(dev, ino));
        if (l == null) {
            return Map.of();
        }
        Map<HandleKey, Entry> dropped = new java.util.HashMap<>();
        for (HandleKey k : l) {
            Entry e = map.remove(k);
            if (e != null) {
                dropped.put(k, e);
            }
        }
        return dropped;
    }

    /** Drops every object of filesystem {@code dev} (a crossed mount that was unmounted). */
    synchronized void forgetFilesystem(long dev) {
        for (Iterator<Map.Entry<HandleKey, Entry>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<HandleKey, Entry> en = it.next();
            if (en.getValue().object().dev == dev) {
                it.remove();
                unindex(en.getKey(), en.getValue().object());
            }
        }
    }

    synchronized int size() {
        return map.size();
    }
}
