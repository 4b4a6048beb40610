package io.edgenfsd.server;

import java.net.InetAddress;
import java.nio.file.Path;

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

    /** What bounds the memory and time a client can take. */
    public record Limits(long maxInflight) {
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_INFLIGHT);
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
