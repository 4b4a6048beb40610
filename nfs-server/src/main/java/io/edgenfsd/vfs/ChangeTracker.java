package io.edgenfsd.vfs;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The change attribute (RFC 8881 section 5.8.1.4) must grow on every modification, but ext4 and SD-card
 * filesystems keep ctime in coarse ticks. We report ctime in nanoseconds plus the number of modifications
 * we made within the current tick.
 *
 * <p>Bounded without going backwards: an entry is only needed while its ctime is the file's ctime. Once
 * a ctime is more than {@link #SETTLED_NS} old, any later modification gets a later ctime; such a settled
 * ctime is reported as {@code ctime + MAX_BUMPS} whether it is tracked or not, which is above any count
 * made within the tick, so entries of settled ctimes can be dropped and the value does not fall. (Before,
 * the whole table was cleared at 65,536 entries and a counted file's change fell back to its bare ctime.)
 * Entries of recent ctimes are never dropped; the table may exceed its size during a burst.
 */
public final class ChangeTracker {
    private record Entry(long ctimeNs, long bumps) {
    }

    static final int MAX_ENTRIES = 65536;
    static final long SETTLED_NS = 2_000_000_000L;
    /** More than the modifications one file can get within one timestamp tick. */
    static final long MAX_BUMPS = 1L << 20;
    private final ConcurrentHashMap<FileKey, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier nowNs;

    public ChangeTracker() {
        this(() -> System.currentTimeMillis() * 1_000_000L);
    }

    /** With a wall clock in nanoseconds since the epoch (tests). */
    ChangeTracker(LongSupplier nowNs) {
        this.nowNs = nowNs;
    }

    private boolean settled(long ctimeNs, long now) {
        return now - ctimeNs > SETTLED_NS;
    }

    public long change(FileKey key, long ctimeNs) {
        if (settled(ctimeNs, nowNs.getAsLong())) {
            return ctimeNs + MAX_BUMPS;
        }
        Entry e = entries.get(key);
        if (e == null || e.ctimeNs != ctimeNs) {
            return ctimeNs;
        }
        return ctimeNs + e.bumps;
    }

    /** Records a modification made through the server; {@code ctimeNs} is the ctime after it. */
    public void modified(FileKey key, long ctimeNs) {
        if (entries.size() > MAX_ENTRIES) {
            long now = nowNs.getAsLong();
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                if (settled(it.next().ctimeNs, now)) {
                    it.remove();
                }
            }
        }
        entries.compute(key, (k, e) -> e != null && e.ctimeNs == ctimeNs
                ? new Entry(ctimeNs, Math.min(e.bumps + 1, MAX_BUMPS - 1)) : new Entry(ctimeNs, 1));
    }

    int size() {
        return entries.size();
    }
}
