package io.edgenfsd.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory every session's reply cache may take, all clients together. RFC 8881 section 18.36.3 lets the
 * server grant fewer slots (ca_maxrequests) and a smaller ca_maxresponsesize_cached than a client asks for;
 * CREATE_SESSION reserves slots x cached size here, so a client that creates many sessions, or many clients,
 * cannot grow the slot caches past the bound. When the budget runs short a session gets fewer slots, then a
 * smaller cached size; when it is spent a session still gets one slot of {@link #FLOOR} bytes (as knfsd does,
 * a refused CREATE_SESSION is a mount that never completes), counted as over-commitment and logged.
 */
public final class ReplyCacheBudget {
    private static final Logger log = LoggerFactory.getLogger(ReplyCacheBudget.class);

    /** The smallest cached reply worth granting: an OPEN reply with its attributes fits in it. */
    public static final int FLOOR = 1024;
    public static final long DEFAULT_BYTES = 16L << 20;

    private final long total;
    private long reserved;
    private long lastWarning;

    public ReplyCacheBudget(long total) {
        if (total < FLOOR) {
            throw new IllegalArgumentException("reply cache budget " + total + " is below " + FLOOR + " bytes");
        }
        this.total = total;
    }

    /** Slots and cached size granted to one session; {@link #bytes()} of it are reserved until released. */
    public record Grant(int slots, int cachedSize) {
        public long bytes() {
            return (long) slots * cachedSize;
        }
    }

    /**
     * Reserves up to {@code slots} slots of {@code cachedSize} bytes (both already clamped to the per-session
     * limits), fewer or smaller when the budget is short.
     */
    public synchronized Grant reserve(int slots, int cachedSize) {
        long free = Math.max(0, total - reserved);
        Grant g;
        if (cachedSize <= 0) {
            g = new Grant(slots, 0); // nothing can be cached, nothing to reserve
        } else if (free >= cachedSize) {
            g = new Grant((int) Math.min(slots, free / cachedSize), cachedSize);
        } else if (free >= Math.min(cachedSize, FLOOR)) {
            g = new Grant(1, (int) free);
        } else {
            g = new Grant(1, Math.min(cachedSize, FLOOR));
            long now = System.nanoTime();
            if (lastWarning == 0 || now - lastWarning > 60_000_000_000L) {
                lastWarning = now;
                log.warn("reply cache budget of {} KiB is spent: new sessions get one slot of {} bytes; raise "
                        + "--reply-cache if this is not a client creating sessions in a loop", total >> 10,
                        g.cachedSize());
            }
        }
        reserved += g.bytes();
        return g;
    }

    public synchronized void release(Grant g) {
        reserved -= g.bytes();
        if (reserved < 0) {
            throw new IllegalStateException("reply cache budget released more than it reserved");
        }
    }

    public long total() {
        return total;
    }

    public synchronized long reserved() {
        return reserved;
    }

    /** Bytes reserved beyond the budget, by sessions that got the one-slot floor (for metrics and tests). */
    public synchronized long overCommitted() {
        return Math.max(0, reserved - total);
    }
}
