package io.edgenfsd.server;

import io.edgenfsd.compound.CompoundProcessor;
import io.edgenfsd.compound.OperationTable;
import io.edgenfsd.compound.ServerContext;
import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.rpc.RpcDispatcher;
import io.edgenfsd.metrics.OpRecorder;
import io.edgenfsd.metrics.ServerMetrics;
import io.edgenfsd.rpc.RpcProgram;
import io.edgenfsd.rpc.RpcServer;
import io.edgenfsd.rpc.WorkerPool;
import io.edgenfsd.state.ClientStore;
import io.edgenfsd.state.Delegations;
import io.edgenfsd.state.ReplyCacheBudget;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.vfs.HandleStore;
import io.edgenfsd.vfs.IdMapper;
import io.edgenfsd.vfs.InMemoryHandleStore;
import io.edgenfsd.vfs.KernelHandleStore;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.vfs.ThreadIdentity;
import io.edgenfsd.vfs.linux.Capabilities;
import io.edgenfsd.vfs.linux.FileHandleCodec;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Wires exports, state, vfs and the RPC transport into a running server. */
public final class NfsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NfsServer.class);

    private final ServerConfig config;
    private final ExportTable exports;
    private final OperationTable operations;
    private RpcServer rpc;
    private OpenFiles openFiles;
    private ScheduledExecutorService timer;
    private ClientStore clientStore;
    private InetSocketAddress bound;
    private InetSocketAddress metricsAddress;
    private ServerMetrics metrics;
    private InetSocketAddress metricsBound;
    private ExportsReloader.Source exportsSource;
    private volatile ExportsReloader reloader;
    private Path adminPath;
    private AdminSocket admin;
    private Volumes volumes;

    public NfsServer(ServerConfig config, ExportTable exports) {
        this(config, exports, Operations.table());
    }

    /** With another operation table (tests put a failing operation in one). */
    public NfsServer(ServerConfig config, ExportTable exports, OperationTable operations) {
        this.config = config;
        this.exports = exports;
        this.operations = operations;
    }

    /** Serve Prometheus metrics on {@code address} (off unless called before {@link #start()}). */
    private int maxMinorVersion = CompoundProcessor.MAX_MINOR_VERSION;

    public NfsServer withMetrics(InetSocketAddress address) {
        this.metricsAddress = address;
        return this;
    }

    /** Serve NFSv4 minor versions 1 up to {@code minor} (1 or 2; 2 unless called). */
    public NfsServer withMaxMinorVersion(int minor) {
        this.maxMinorVersion = minor;
        return this;
    }

    /** Answer `edge-nfsd status` and `edge-nfsd reload` on a Unix socket at {@code path} (off unless called). */
    public NfsServer withAdminSocket(Path path) {
        this.adminPath = path;
        return this;
    }

    /** Where {@link #reload()} reads the exports again (without one, reload is refused). */
    public NfsServer withExportsSource(ExportsReloader.Source source) {
        this.exportsSource = source;
        return this;
    }

    /** Re-reads the exports (see {@link ExportsReloader}); refused, changing nothing, when they are invalid. */
    public ExportsReloader.Result reload() {
        ExportsReloader r = reloader;
        if (r == null) {
            return new ExportsReloader.Result(false, exportsSource == null
                    ? "this server was given no exports source to re-read" : "the server is not running",
                    java.util.List.of(), java.util.List.of(), java.util.List.of());
        }
        return r.reload();
    }

    /** Where /metrics is served, or null when metrics are off. */
    public InetSocketAddress metricsAddress() {
        return metricsBound;
    }

    public InetSocketAddress start() throws IOException, InterruptedException {
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
        clientStore = store;
        StateManager state = new StateManager(config.leaseSeconds(), store,
                new ReplyCacheBudget(config.limits().replyCache()));
        Set<String> previousClients = store.load();
        LocalFs fs = new LocalFs(exports, handles, identity);
        volumes = new Volumes();
        volumes.apply(exports);
        fs.volumeCapacity(volumes);
        if (exportsSource != null) {
            reloader = new ExportsReloader(exportsSource, fs, volumes::apply);
        }
        openFiles = new OpenFiles(256, fs);
        fs.openCheck(k -> !state.opensOf(k).isEmpty());
        state.onOpenReleased(o -> {
            openFiles.forget(o.file());
            fs.releaseOpen(o.file(), k -> !state.opensOf(k).isEmpty());
        });
        byte[] owner = ("edge-nfsd@" + hostName()).getBytes(StandardCharsets.UTF_8);
        BackChannel callbacks = new BackChannel();
        Delegations delegations = new Delegations(config.leaseSeconds());
        delegations.recaller(callbacks);
        ServerContext ctx = new ServerContext(state, fs, new IdMapper(), identity, openFiles, config.maxIo(),
                config.maxIo(), owner, callbacks, delegations);
        if (metricsAddress != null) {
            metrics = ServerMetricsWiring.create(state.view());
            metricsBound = metrics.serve(metricsAddress);
            log.info("Prometheus metrics on http://{}:{}/metrics", metricsBound.getAddress().getHostAddress(),
                    metricsBound.getPort());
        }
        CompoundProcessor nfs = new CompoundProcessor(ctx, operations,
                metrics == null ? OpRecorder.NONE : metrics, maxMinorVersion);
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "edge-nfsd-lease"));
        state.startLeaseReaper(timer);
        timer.scheduleAtFixedRate(delegations::sweep, 1, 1, TimeUnit.SECONDS);
        // most recently idle worker first, a short poll before parking (rpc/WorkerPool); each worker drops
        // CAP_SYS_RESOURCE before its first call (workerThreads)
        WorkerPool workers = new WorkerPool(config.workers(), workerThreads(Capabilities.CAP_SYS_RESOURCE),
                Long.getLong("edgenfsd.workerSpinMicros", 0) * 1000);
        rpc = new RpcServer(workers, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        // The grace period starts when the port is bound, not when the state is loaded: on a slow
        // board the class loading in between took 11 s of a 15 s grace period in the power-cut test
        // (it/server-guest), and the client came back after grace had ended and lost its locks.
        // Nothing can reach the server before the bind, so starting it here opens no window.
        state.startGrace(previousClients, config.graceSeconds());
        bound = rpc.bind(new InetSocketAddress(config.bind(), config.port()), Map.<Integer, RpcProgram>of(
                CompoundProcessor.NFS_PROGRAM, nfs), config.maxRecord(), config.limits().maxInflight(),
                new RpcDispatcher.Timeouts(config.limits().idleTimeout(), config.limits().recordTimeout()));
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
        if (adminPath != null) {
            try {
                admin = AdminSocket.open(adminPath, request -> switch (request) {
                    case "status", "status table" -> new AdminSocket.Answer(true,
                            StatusReport.table(StatusReport.build(fs.exports(), state.view())));
                    case "status json" -> new AdminSocket.Answer(true,
                            io.edgenfsd.manifest.Emitter.json(java.util.List.of(StatusReport.build(fs.exports(), state.view()))));
                    case "reload" -> {
                        ExportsReloader.Result r = reload();
                        yield new AdminSocket.Answer(r.ok(), r.message() + "\n");
                    }
                    default -> new AdminSocket.Answer(false, "unknown request \"" + request + "\"\n");
                });
                log.info("admin socket {} ('edge-nfsd status', 'edge-nfsd reload')", adminPath);
            } catch (IOException e) {
                log.warn("no admin socket at {} ({}): 'edge-nfsd status' and 'reload' will not work; "
                        + "SIGHUP still reloads the exports", adminPath, e.getMessage());
            }
        }
        log.info("NFSv4.1 on {} ({} transport, {} workers, {} handles, max I/O {} KiB, {} MiB in flight at most, "
                        + "reply cache {} KiB per slot, {} KiB per session of {} slots, {} KiB for all sessions)",
                bound, rpc.transportName(), config.workers(), handles.persistent() ? "persistent" : "in-memory",
                config.maxIo() / 1024, config.limits().maxInflight() >> 20, CompoundProcessor.MAX_CACHED_REPLY / 1024,
                CompoundProcessor.MAX_CACHED_REPLY * StateManager.MAX_SLOTS / 1024, StateManager.MAX_SLOTS,
                config.limits().replyCache() >> 10);
        return bound;
    }

    /** The transport's memory budget (tests and status). */
    public io.edgenfsd.rpc.InflightBudget inflight() {
        return rpc.budget();
    }

    public InetSocketAddress address() {
        return bound;
    }

    /**
     * The NFS worker threads, nfsd-1, nfsd-2, ...: each drops capability {@code dropped} (CAP_SYS_RESOURCE)
     * before its first call. They run the clients' operations (with the client's fsuid, which is 0 for a
     * no_root_squash root), and with CAP_SYS_RESOURCE the kernel lets writes exceed quota limits, so a
     * capacity= volume would not bind root. (Under systemd the bounding set already lacks it.)
     */
    static ThreadFactory workerThreads(int dropped) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(() -> {
            dropCapability(dropped);
            r.run();
        }, "nfsd-" + n.incrementAndGet());
    }

    private static final AtomicBoolean DROP_WARNED = new AtomicBoolean();

    private static void dropCapability(int cap) {
        try {
            Capabilities.dropFromThread(cap);
        } catch (IOException | RuntimeException e) {
            if (DROP_WARNED.compareAndSet(false, true)) {
                log.warn("worker threads keep capability {} ({}): root clients can write past capacity= limits",
                        cap, e.getMessage());
            }
        }
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
        if (clientStore != null) {
            clientStore.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (volumes != null) {
            volumes.close();
        }
    }
}
