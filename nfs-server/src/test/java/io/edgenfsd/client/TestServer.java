package io.edgenfsd.client;

import io.edgenfsd.server.ExportsConfig;
import io.edgenfsd.server.NfsServer;
import io.edgenfsd.server.ServerConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An in-process edge-nfsd on an ephemeral loopback port, for protocol tests and benchmarks. */
public final class TestServer implements AutoCloseable {
    private final NfsServer server;
    private final InetSocketAddress address;

    private TestServer(NfsServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** Starts a server with the given exports(5) lines; the state directory is created under {@code stateDir}. */
    public static TestServer start(Path stateDir, int maxIo, String... exportLines) throws Exception {
        return startWithLease(stateDir, maxIo, 90, exportLines);
    }

    /** As {@link #start}, with a lease of {@code leaseSeconds} (short leases for expiry and revocation tests). */
    public static TestServer startWithLease(Path stateDir, int maxIo, int leaseSeconds, String... exportLines)
            throws Exception {
        Files.createDirectories(stateDir);
        NfsServer s = new NfsServer(new ServerConfig(InetAddress.getLoopbackAddress(), 0, stateDir, leaseSeconds, 0,
                maxIo, 8),
                ExportsConfig.load(List.of(), List.of(exportLines)));
        InetSocketAddress a = s.start();
        return new TestServer(s, a);
    }

    public InetSocketAddress address() {
        return address;
    }

    public NfsSession session(Cred cred) {
        return NfsSession.connect(address, cred);
    }

    public RpcClient connect() {
        return RpcClient.connect(address);
    }

    @Override
    public void close() {
        server.close();
    }
}
