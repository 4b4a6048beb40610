package io.edgenfsd.server;

import io.edgenfsd.state.ReplyCacheBudget;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/** Settled configuration of one server run. */
public record ServerConfig(InetAddress bind, int port, Path stateDir, int leaseSeconds, int graceSeconds,
                           int maxIo, int workers, Limits limits) {
    public static final int DEFAULT_PORT = 2049;
    public static final int DEFAULT_LEASE = 90;
    public static final int DEFAULT_MAX_IO = 1024 * 1024;
    /**
     * Request plus reply bytes in flight, all connections together: half the 96 MiB of direct memory the .deb
     * allows (packaging/src/deb/etc/default), the other half for the buffer pool's partly used chunks and the
     * at most one socket read per connection that arrives while its reading is being stopped.
     */
    public static final long DEFAULT_MAX_INFLIGHT = 48L << 20;

    /** As knfsd: a connection with nothing to keep it open is closed after 6 idle minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(6);
    /** Time one RPC record may take to arrive: a 1 MiB WRITE at 20 KB/s. */
    public static final Duration DEFAULT_RECORD_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What bounds the memory and time a client can take: bytes in flight; how long a connection with no live
     * session may be idle; how long one request may take to arrive; the bytes every session's reply cache may
     * reserve together.
     */
    public record Limits(long maxInflight, Duration idleTimeout, Duration recordTimeout, long replyCache) {
        public Limits(long maxInflight, Duration idleTimeout, Duration recordTimeout) {
            this(maxInflight, idleTimeout, recordTimeout, ReplyCacheBudget.DEFAULT_BYTES);
        }

        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_INFLIGHT, DEFAULT_IDLE_TIMEOUT, DEFAULT_RECORD_TIMEOUT);
        }

        public Limits withMaxInflight(long bytes) {
            return new Limits(bytes, idleTimeout, recordTimeout, replyCache);
        }

        public Limits withTimeouts(Duration idle, Duration record) {
            return new Limits(maxInflight, idle, record, replyCache);
        }

        public Limits withReplyCache(long bytes) {
            return new Limits(maxInflight, idleTimeout, recordTimeout, bytes);
        }
    }

    public ServerConfig(InetAddress bind, int port, Path stateDir, int leaseSeconds, int graceSeconds, int maxIo,
                        int workers) {
        this(bind, port, stateDir, leaseSeconds, graceSeconds, maxIo, workers, Limits.defaults());
    }

    /** The largest RPC record a client may send: a maximal WRITE and the rest of its COMPOUND. */
    public int maxRecord() {
        return maxIo + 64 * 1024;
    }
}
