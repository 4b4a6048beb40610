package io.edgenfsd.server;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.export.ExportsException;
import io.edgenfsd.manifest.ServerAddress;
import io.edgenfsd.ops.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The edge-nfsd command line: serve (default), check-config, version, status, reload, apply-quotas, manifest. */
@Command(name = "edge-nfsd", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        description = "NFSv4.1 server for k3s edge nodes. With no arguments: serve /var/nfs-k8s "
                + "(rw,sync,no_root_squash,no_all_squash) to everyone on TCP port 2049.",
        footer = {"", "'edge-nfsd COMMAND --help' shows a command's options; 'man edge-nfsd' describes them all."},
        subcommands = {Cli.Serve.class, Cli.CheckConfig.class, Cli.PrintVersion.class, AdminCommands.Status.class,
            AdminCommands.Reload.class, ApplyQuotas.class})
public final class Cli implements Callable<Integer> {
    @Mixin
    ServeOptions options = new ServeOptions();

    @Override
    public Integer call() throws Exception {
        return serve(options);
    }

    public static int run(String[] args) {
        configureLogging(args);
        ServeOptions plain = ServeArgs.parse(args);
        if (plain != null) {
            // a server start: picocli is not loaded at all (ServeArgs says why)
            try {
                return serve(plain);
            } catch (Exception e) {
                System.err.println("edge-nfsd: " + e.getMessage());
                return 1;
            }
        }
        CommandLine cl = commandLine();
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("edge-nfsd: " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    /** The whole command tree: edge-nfsd with every command, manifest included (what --help and the man page list). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cli());
        addManifest(cl);
        return cl;
    }

    private static void addManifest(CommandLine cl) {
        try {
            Class<?> c = Class.forName("io.edgenfsd.manifest.ManifestCommand");
            cl.addSubcommand("manifest", c.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            // pv-generator not on the class path: no manifest subcommand
        }
    }

    /** journald adds its own timestamps; a terminal gets ours. Chosen before the first logger is created. */
    private static void configureLogging(String[] args) {
        if (System.getenv("JOURNAL_STREAM") != null || System.getenv("INVOCATION_ID") != null) {
            System.setProperty(LogSetup.NO_TIMESTAMPS, "true");
        }
        for (String a : args) {
            if (a.equals("-v") || a.equals("--verbose")) {
                System.setProperty(LogSetup.DEBUG, "true");
            }
        }
    }

    /** One session at the full 64 slots of 4 KiB: below that even a single client gets cut slots. */
    static final long MIN_REPLY_CACHE = 256L * 1024;

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"edge-nfsd " + Version.VERSION};
        }
    }

    /** Options shared by the top-level command and {@code serve}. */
    static final class ServeOptions {
        @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default: ${DEFAULT-VALUE})")
        int port = ServerConfig.DEFAULT_PORT;

        @Option(names = "--bind", paramLabel = "ADDRESS", description = "address to listen on (default: all)")
        String bind;

        @Option(names = "--exports", paramLabel = "FILE", description = "exports(5) file; under /etc its FILE.d/*.exports are read too")
        List<Path> exportFiles = new ArrayList<>();

        @Option(names = "--export", paramLabel = "'PATH CLIENT(OPTIONS)'", description = "one exports(5) line; repeatable")
        List<String> exportLines = new ArrayList<>();

        @Option(names = "--state-dir", paramLabel = "DIR", description = "handle key and client records (default: ${DEFAULT-VALUE})")
        Path stateDir = Path.of("/var/lib/edge-nfsd");

        @Option(names = "--lease", paramLabel = "SECONDS", description = "lease time (default: ${DEFAULT-VALUE})")
        int lease = ServerConfig.DEFAULT_LEASE;

        @Option(names = "--grace", paramLabel = "SECONDS", description = "grace period after a restart (default: two leases)")
        Integer grace;

        @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: ${DEFAULT-VALUE})")
        int threads = 16;

        @Option(names = "--max-io", paramLabel = "BYTES", description = "largest READ/WRITE (default: ${DEFAULT-VALUE})")
        int maxIo = ServerConfig.DEFAULT_MAX_IO;

        @Option(names = "--max-inflight", paramLabel = "BYTES", description = "request and reply bytes in "
                + "flight, all clients together; beyond it requests wait unread (default: ${DEFAULT-VALUE}, for "
                + "-XX:MaxDirectMemorySize=96m)")
        long maxInflight = ServerConfig.DEFAULT_MAX_INFLIGHT;

        @Option(names = "--reply-cache", paramLabel = "BYTES", description = "reply cache of all sessions "
                + "together; past it new sessions get fewer slots (default: ${DEFAULT-VALUE})")
        long replyCache = io.edgenfsd.state.ReplyCacheBudget.DEFAULT_BYTES;

        @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "close a connection idle this "
                + "long that no live session uses (default: ${DEFAULT-VALUE})")
        int idleTimeout = (int) ServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds();

        @Option(names = "--record-timeout", paramLabel = "SECONDS", description = "close a connection whose "
                + "request takes longer than this to arrive (default: ${DEFAULT-VALUE})")
        int recordTimeout = (int) ServerConfig.DEFAULT_RECORD_TIMEOUT.toSeconds();

        @Option(names = "--max-minor-version", paramLabel = "1|2", description = "highest NFSv4 minor version "
                + "served: 2 serves 4.1 and 4.2, 1 only 4.1 for clients that misbehave with 4.2 (default: ${DEFAULT-VALUE})")
        int maxMinorVersion = io.edgenfsd.compound.CompoundProcessor.MAX_MINOR_VERSION;

        @Option(names = {"-v", "--verbose"}, description = "debug logging")
        boolean verbose;

        @Option(names = "--metrics", paramLabel = "ADDRESS:PORT",
                description = "serve Prometheus metrics at http://ADDRESS:PORT/metrics (default: off), e.g. 127.0.0.1:9102")
        String metrics;

        @Option(names = "--admin-socket", paramLabel = "PATH",
                description = "local socket for 'edge-nfsd status' and 'reload', root only (default: ${DEFAULT-VALUE})")
        Path adminSocket = AdminSocket.DEFAULT;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class, description = "run the server (the default)")
    static final class Serve implements Callable<Integer> {
        @Mixin
        ServeOptions options = new ServeOptions();

        @Override
        public Integer call() throws Exception {
            return serve(options);
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
            description = "parse the exports and report errors as FILE:LINE: problem; exit status 0 when valid")
    static final class CheckConfig implements Callable<Integer> {
        @Option(names = "--exports", paramLabel = "FILE", description = "exports(5) file to check, as for serve; repeatable")
        List<Path> exportFiles = new ArrayList<>();

        @Option(names = "--export", paramLabel = "'PATH CLIENT(OPTIONS)'", description = "one exports(5) line to check; repeatable")
        List<String> exportLines = new ArrayList<>();

        @Override
        public Integer call() {
            try {
                ExportTable t = ExportsConfig.load(exportFiles, exportLines);
                for (Export e : t.exports()) {
                    System.out.println(e.path() + " " + String.join(" ", e.rules().stream()
                            .map(r -> r.client().text() + "(" + (r.options().readOnly() ? "ro" : "rw") + ")").toList()));
                }
                System.out.println("ok: " + t.exports().size() + " export(s)");
                return 0;
            } catch (ExportsException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "version", description = "print the version")
    static final class PrintVersion implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println("edge-nfsd " + Version.VERSION);
            return 0;
        }
    }

    static int serve(ServeOptions o) throws Exception {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("edge-nfsd");
        if (o.port < 1 || o.port > 65535) {
            System.err.println("edge-nfsd: --port " + o.port + ": must be 1..65535");
            return 2;
        }
        if (o.maxMinorVersion < 1 || o.maxMinorVersion > 2) {
            System.err.println("edge-nfsd: --max-minor-version " + o.maxMinorVersion + ": must be 1 or 2");
            return 2;
        }
        if (o.maxIo < 4096 || o.maxIo > 4 * 1024 * 1024) {
            System.err.println("edge-nfsd: --max-io " + o.maxIo + ": must be 4096..4194304");
            return 2;
        }
        if (o.lease < 10 || o.lease > 3600 || o.threads < 1 || o.threads > 512) {
            System.err.println("edge-nfsd: --lease must be 10..3600 and --threads 1..512");
            return 2;
        }
        long minInflight = 2L * (o.maxIo + 64 * 1024);
        if (o.maxInflight < minInflight) {
            System.err.println("edge-nfsd: --max-inflight " + o.maxInflight + ": must be at least " + minInflight
                    + " (two of the largest requests that --max-io allows)");
            return 2;
        }
        if (o.replyCache < MIN_REPLY_CACHE || o.replyCache > (1L << 30)) {
            System.err.println("edge-nfsd: --reply-cache " + o.replyCache + ": must be " + MIN_REPLY_CACHE
                    + ".." + (1L << 30) + " (one session of 64 slots of 4 KiB needs 262144)");
            return 2;
        }
        if (o.idleTimeout < 1 || o.recordTimeout < 1) {
            System.err.println("edge-nfsd: --idle-timeout and --record-timeout must be at least 1 second");
            return 2;
        }
        InetAddress bind;
        try {
            bind = o.bind == null ? null : InetAddress.getByName(o.bind);
        } catch (UnknownHostException e) {
            System.err.println("edge-nfsd: --bind " + o.bind + ": not an address of this host");
            return 2;
        }
        ExportTable exports;
        try {
            boolean builtIn = ExportsConfig.isDefault(o.exportFiles, o.exportLines);
            exports = ExportsConfig.load(o.exportFiles, o.exportLines);
            ExportsConfig.prepareDirectories(exports, builtIn);
        } catch (ExportsException e) {
            System.err.println("edge-nfsd: " + e.getMessage());
            return 2;
        }
        io.edgenfsd.vfs.Posix.daemonUmask(); // after the exports (created 0755), before the server's own files
        try {
            prepareStateDir(o.stateDir);
        } catch (IOException e) {
            System.err.println("edge-nfsd: --state-dir " + o.stateDir + ": " + e.getMessage()
                    + " (choose a writable directory with --state-dir)");
            return 2;
        }
        int grace = o.grace != null ? o.grace : 2 * o.lease;
        ServerConfig cfg = new ServerConfig(bind, o.port, o.stateDir, o.lease, grace, o.maxIo, o.threads,
                new ServerConfig.Limits(o.maxInflight, java.time.Duration.ofSeconds(o.idleTimeout),
                        java.time.Duration.ofSeconds(o.recordTimeout), o.replyCache));
        NfsServer server = new NfsServer(cfg, exports);
        List<Path> files = List.copyOf(o.exportFiles);
        List<String> lines = List.copyOf(o.exportLines);
        server.withExportsSource(() -> ExportsConfig.load(files, lines));
        server.withAdminSocket(o.adminSocket);
        server.withMaxMinorVersion(o.maxMinorVersion);
        if (o.metrics != null) {
            try {
                server.withMetrics(OperatorOptions.hostPort(o.metrics));
            } catch (IllegalArgumentException e) {
                System.err.println("edge-nfsd: --metrics " + o.metrics + ": " + e.getMessage());
                return 2;
            }
        }
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("in use")) {
                System.err.println("edge-nfsd: port " + o.port + " is already in use"
                        + (o.port == 2049 ? " (probably the kernel NFS server: 'systemctl stop nfs-server' "
                        + "or 'apt remove nfs-kernel-server', or choose another --port)" : " (choose another --port)"));
            } else if (msg.contains("ermission")) {
                System.err.println("edge-nfsd: no permission to listen on port " + o.port
                        + " (run as root, grant CAP_NET_BIND_SERVICE, or use a --port above 1023)");
            } else {
                System.err.println("edge-nfsd: cannot listen on " + (bind == null ? "*" : o.bind) + ":" + o.port
                        + ": " + msg);
            }
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SystemdNotify.stopping();
            log.info("stopping: finishing calls in flight");
            server.close();
            log.info("stopped");
            stop.countDown();
            // a requested, clean stop: exit 0 rather than the JVM's 143 for SIGTERM
            Runtime.getRuntime().halt(0);
        }, "edge-nfsd-shutdown"));
        Export first = exports.exports().get(0);
        String host = bind != null && !bind.isAnyLocalAddress() ? bind.getHostAddress() : primaryAddress();
        String port = o.port == 2049 ? "" : ",port=" + o.port;
        log.info("ready: mount with 'mount -t nfs -o nfsvers=4.1,hard{} {}:{} /mnt'", port, host, first.path());
        SystemdNotify.ready();
        ReloadSignal.install(server);
        stop.await();
        return 0;
    }

    static void prepareStateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("not writable");
        }
    }

    /** This host's primary address, chosen as `edge-nfsd manifest` chooses it (no traffic is sent). */
    static String primaryAddress() {
        try {
            return ServerAddress.choose(ServerAddress.localInterfaces(), false).address;
        } catch (SocketException | ServerAddress.NoAddressException e) {
            return "SERVER";
        }
    }
}
