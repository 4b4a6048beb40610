package io.edgenfsd.rpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections of this process, for metrics: how many, and how many calls and request bytes
 * they have in flight. Process-wide (one server per process); read at scrape time only.
 */
public final class RpcStats {
    private static final Set<RpcConnection> LIVE = ConcurrentHashMap.newKeySet();

    private RpcStats() {
    }

    static void opened(RpcConnection c) {
        LIVE.add(c);
    }

    static void closed(RpcConnection c) {
        LIVE.remove(c);
    }

    public static int connections() {
        return LIVE.size();
    }

    /** Calls received and not yet answered, over all connections. */
    public static long callsInFlight() {
        long n = 0;
        for (RpcConnection c : LIVE) {
            n += c.calls();
        }
        return n;
    }

    /** Bytes held in the in-flight budget: requests being served and replies not yet written. */
    public static long bytesInFlight() {
        long n = 0;
        for (RpcConnection c : LIVE) {
            n += c.held();
        }
        return n;
    }
}
