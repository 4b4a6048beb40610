package io.edgenfsd.server;

import io.edgenfsd.compound.CompoundProcessor;
import io.edgenfsd.compound.ServerContext;
import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.rpc.RpcProgram;
import io.edgenfsd.rpc.RpcServer;
import io.edgenfsd.state.ClientStore;
import io.edgenfsd.state.Delegations;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.vfs.HandleStore;
import io.edgenfsd.vfs.IdMapper;
import io.edgenfsd.vfs.InMemoryHandleStore;
import io.edgenfsd.vfs.KernelHandleStore;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.vfs.Posix;
import io.edgenfsd.vfs.ThreadIdentity;
import io.edgenfsd.vfs.linux.FileHandleCodec;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Wires exports, state, vfs and the RPC transport into a running server. */
public final class NfsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NfsServer.class);

    private final ServerConfig config;
    private final ExportTable exports;
    private RpcServer rpc;
    private OpenFiles openFiles;
    private ScheduledExecutorService timer;
    private InetSocketAddress bound;

    public NfsServer(ServerConfig config, ExportTable exports) {
        this.config = config;
        this.exports = exports;
    }

    public InetSocketAddress start() throws IOException, InterruptedException {
        Posix.clearUmask();
        ThreadIdentity identity = new KernelIdentity();
        if (!identity.supported()) {
            log.warn("not running as root: every file is read and written as uid {}, whatever the client's "
                    + "credentials; run as root for per-user permissions", LinuxCalls.geteuid());
            identity = ThreadIdentity.NONE;
        }
        HandleStore handles;
        if (LinuxCalls.handlesSupported()) {
            FileHandleCodec codec = FileHandleCodec.loadOrCreate(config.stateDir());
            handles = new KernelHandleStore(codec, exports);
        } else {
            log.warn("open_by_handle_at is not permitted (needs CAP_DAC_READ_SEARCH): file handles are kept in "
                    + "memory and will not survive a restart (clients will see 'Stale file handle')");
            handles = new InMemoryHandleStore();
        }
        ClientStore store = new ClientStore(config.stateDir());
        StateManager state = new StateManager(config.leaseSeconds(), store);
        state.startGrace(store.load(), config.graceSeconds());
        LocalFs fs = new LocalFs(exports, handles);
        openFiles = new OpenFiles(256);
        state.onOpenReleased(o -> openFiles.forget(o.file()));
        byte[] owner = ("edge-nfsd@" + hostName()).getBytes(StandardCharsets.UTF_8);
        BackChannel callbacks = new BackChannel();
        Delegations delegations = new Delegations(config.leaseSeconds());
        delegations.recaller(callbacks);
        ServerContext ctx = new ServerContext(state, fs, new IdMapper(), identity, openFiles, config.maxIo(),
                config.maxIo(), owner, callbacks, delegations);
        CompoundProcessor nfs = new CompoundProcessor(ctx, Operations.table());
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "edge-nfsd-lease"));
        state.startLeaseReaper(timer);
        timer.scheduleAtFixedRate(delegations::sweep, 1, 1, TimeUnit.SECONDS);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "nfsd-" + n.incrementAndGet()));
        rpc = new RpcServer(workers, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        int maxRecord = config.maxIo() + 64 * 1024;
        bound = rpc.bind(new InetSocketAddress(config.bind(), config.port()), Map.<Integer, RpcProgram>of(
                CompoundProcessor.NFS_PROGRAM, nfs), maxRecord);
        for (Export e : exports.exports()) {
            if (e.isFsidRoot()) {
                log.warn("export {} has fsid=0/root: this server joins exports in a pseudo filesystem of their "
                        + "real paths, so clients mount SERVER:{} (not SERVER:/)", e.path(), e.path());
            }
            String o = e.rules().stream().map(r -> r.client().text() + "(" + (r.options().readOnly() ? "ro" : "rw")
                    + "," + (r.options().sync() ? "sync" : "async") + ")").reduce((a, b) -> a + " " + b).orElse("");
            log.info("export {} to {}", e.path(), o);
            e.rules().stream().filter(r -> !r.options().sync()).findFirst().ifPresent(r -> log.warn(
                    "export {} is 'async' for {}: writes are acknowledged before they reach the disk ({})",
                    e.path(), r.client().text(), r.source()));
        }
        log.info("NFSv4.1 on {} ({} transport, {} workers, {} handles, max I/O {} KiB)", bound,
                rpc.transportName(), config.workers(), handles.persistent() ? "persistent" : "in-memory",
                config.maxIo() / 1024);
        return bound;
    }

    public InetSocketAddress address() {
        return bound;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        if (rpc != null) {
            rpc.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (openFiles != null) {
            openFiles.closeAll();
        }
    }
}
