package io.edgenfsd.rpc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one process-wide budget of request plus reply bytes in flight: requests from the moment their record
 * header is read until their call has run, replies (including sendfile regions, by their length) from the
 * moment they are built until the socket has taken them. A connection that cannot get what it needs stops
 * being read and waits here; it is woken when bytes are given back. Requests are never refused for want
 * of budget, they wait; replies already built are never dropped, they are counted even above the limit.
 */
public final class InflightBudget {
    private final long limit;
    private long used;
    private long peak;
    private final Set<RpcConnection> waiting = new LinkedHashSet<>();

    public InflightBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("budget " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    public synchronized long used() {
        return used;
    }

    /** Highest use since start (or the last {@link #resetPeak}). */
    public synchronized long peak() {
        return peak;
    }

    public synchronized void resetPeak() {
        peak = used;
    }

    /**
     * Takes {@code n} bytes if they fit, or if everything in use is the asking connection's own (so a lone
     * connection always progresses). Otherwise the connection is remembered and woken by a later release.
     */
    synchronized boolean tryAcquire(long n, long ownHeld, RpcConnection who) {
        if (used + n <= limit || used <= ownHeld) {
            add(n);
            return true;
        }
        waiting.add(who);
        return false;
    }

    synchronized void forceAcquire(long n) {
        add(n);
    }

    private void add(long n) {
        used += n;
        if (used > peak) {
            peak = used;
        }
    }

    void release(long n) {
        List<RpcConnection> wake;
        synchronized (this) {
            used -= n;
            if (waiting.isEmpty()) {
                return;
            }
            wake = new ArrayList<>(waiting);
            waiting.clear();
        }
        // each retries on its own event loop and comes back here if it still does not fit
        for (RpcConnection c : wake) {
            c.budgetReleased();
        }
    }

    synchronized void forget(RpcConnection c) {
        waiting.remove(c);
    }
}
