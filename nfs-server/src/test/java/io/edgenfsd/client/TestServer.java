package io.edgenfsd.client;

import io.edgenfsd.compound.OperationTable;
import io.edgenfsd.rpc.InflightBudget;
import io.edgenfsd.server.ExportsConfig;
import io.edgenfsd.server.NfsServer;
import io.edgenfsd.server.Operations;
import io.edgenfsd.server.ServerConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

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
        return start(stateDir, maxIo, ServerConfig.Limits.defaults(), exportLines);
    }

    /** As {@link #start(Path, int, String...)}, with a short lease (for expiry and revocation tests). */
    public static TestServer startWithLease(Path stateDir, int maxIo, int leaseSeconds, String... exportLines)
            throws Exception {
        return start(stateDir, maxIo, leaseSeconds, ServerConfig.Limits.defaults(), Operations.table(), s -> { },
                exportLines);
    }

    /** As {@link #start(Path, int, String...)} with the given memory and time limits. */
    public static TestServer start(Path stateDir, int maxIo, ServerConfig.Limits limits, String... exportLines)
            throws Exception {
        return start(stateDir, maxIo, limits, Operations.table(), s -> { }, exportLines);
    }

    /** As {@link #start(Path, int, String...)}, with {@code configure} applied before the server starts. */
    public static TestServer start(Path stateDir, int maxIo, Consumer<NfsServer> configure, String... exportLines)
            throws Exception {
        return start(stateDir, maxIo, ServerConfig.Limits.defaults(), Operations.table(), configure, exportLines);
    }

    /** As above, serving the given operation table (e.g. with an operation made to fail). */
    public static TestServer start(Path stateDir, int maxIo, ServerConfig.Limits limits, OperationTable ops,
                                   String... exportLines) throws Exception {
        return start(stateDir, maxIo, limits, ops, s -> { }, exportLines);
    }

    private static TestServer start(Path stateDir, int maxIo, ServerConfig.Limits limits, OperationTable ops,
                                    Consumer<NfsServer> configure, String... exportLines) throws Exception {
        return start(stateDir, maxIo, 90, limits, ops, configure, exportLines);
    }

    private static TestServer start(Path stateDir, int maxIo, int leaseSeconds, ServerConfig.Limits limits,
                                    OperationTable ops, Consumer<NfsServer> configure, String... exportLines)
            throws Exception {
        Files.createDirectories(stateDir);
        NfsServer s = new NfsServer(new ServerConfig(InetAddress.getLoopbackAddress(), 0, stateDir, leaseSeconds, 0,
                maxIo, 8, limits), ExportsConfig.load(List.of(), List.of(exportLines)), ops);
        configure.accept(s);
        InetSocketAddress a = s.start();
        return new TestServer(s, a);
    }

    /** The transport's budget of bytes in flight. */
    public InflightBudget inflight() {
        return server.inflight();
    }

    /** The running server, for tests of its operator interfaces (metrics, reload, status). */
    public NfsServer server() {
        return server;
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
