package io.edgenfsd.server;

import java.net.InetAddress;
import java.nio.file.Path;

/** Settled configuration of one server run. */
public record ServerConfig(InetAddress bind, int port, Path stateDir, int leaseSeconds, int graceSeconds,
                           int maxIo, int workers) {
    public static final int DEFAULT_PORT = 2049;
    public static final int DEFAULT_LEASE = 90;
    public static final int DEFAULT_MAX_IO = 1024 * 1024;
}
