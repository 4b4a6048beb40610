package io.edgenfsd.vfs;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The change attribute (RFC 8881 section 5.8.1.4) must grow on every modification, but ext4 and SD-card
 * filesystems keep ctime in coarse ticks. We report ctime in nanoseconds plus the number of modifications
 * we made within the current tick; a tick is at least a microsecond, far more than modifications per tick.
 */
public final class ChangeTracker {
    private record Entry(long ctimeNs, long bumps) {
    }

    private static final int MAX_ENTRIES = 65536;
    private final ConcurrentHashMap<FileKey, Entry> entries = new ConcurrentHashMap<>();

    public long change(FileKey key, long ctimeNs) {
        Entry e = entries.get(key);
        if (e == null || e.ctimeNs != ctimeNs) {
            return ctimeNs;
        }
        return ctimeNs + e.bumps;
    }

    /** Records a modification made through the server; {@code ctimeNs} is the ctime after it. */
    public void modified(FileKey key, long ctimeNs) {
        if (entries.size() > MAX_ENTRIES) {
            entries.clear();
        }
        entries.compute(key, (k, e) -> e != null && e.ctimeNs == ctimeNs ? new Entry(ctimeNs, e.bumps + 1)
                : new Entry(ctimeNs, 1));
    }
}
