package io.edgenfsd.bench.load;

import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Host-side NFSv4.1 load generator: several sessions, each with many slots in flight (one thread per
 * slot), against any NFSv4.1 server (edge-nfsd or NFS-Ganesha), so the server rather than the client is
 * the bottleneck. Phases: 1 MiB WRITE (UNSTABLE, then COMMIT), 1 MiB and 4 KiB READs at random offsets,
 * and a metadata mix (OPEN-create, CLOSE, LOOKUP+GETATTR, REMOVE). When given the server's pid it also reports
 * the server's CPU seconds (utime+stime from /proc/PID/stat) spent in each phase and its VmHWM.
 * Built on the project's test client ({@code io.edgenfsd.client}, nfs-server's test-jar); see
 * {@link LoadSession} for the one way its sessions differ.
 *
 * <pre>
 * java -cp benchmarks.jar io.edgenfsd.bench.load.LoadGen --port P --export /path [--sessions 4] [--slots 8]
 *      [--file-mib 256] [--seconds 10] [--pid PID] [--host 127.0.0.1]
 *      [--phases write_1MiB,read_1MiB,read_4KiB,lookup,metadata_mix]
 * </pre>
 * Output: one tab-separated line per phase:
 * {@code phase  seconds  bytes  ops  MiB/s  ops/s  server_cpu_s  server_vmhwm_kib}.
 */
public final class LoadGen {
    static final int IO = 1 << 20;
    /** type, change, size, fileid; mode, numlinks, owner, owner_group, time_modify */
    static final int[] GETATTR_BITS = {1, 3, 4, 20, 33, 35, 36, 37, 53};

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 2049;
        String export = null;
        int sessions = 4;
        int slots = 8;
        int fileMib = 256;
        int seconds = 10;
        long pid = -1;
        java.util.Set<String> phases = new java.util.HashSet<>(PHASES);
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--export" -> export = v;
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--slots" -> slots = Integer.parseInt(v);
                case "--file-mib" -> fileMib = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--pid" -> pid = Long.parseLong(v);
                case "--phases" -> {
                    phases = new java.util.HashSet<>(List.of(v.split(",")));
                    if (!PHASES.containsAll(phases)) {
                        throw new IllegalArgumentException("--phases: unknown phase in " + v + "; known: " + PHASES);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (export == null) {
            throw new IllegalArgumentException("--export PATH is required");
        }
        new LoadGen(host, port, export, sessions, slots, fileMib, seconds, pid, phases).run();
    }

    private final String host;
    private final int port;
    private final String export;
    private final int nSessions;
    private final int nSlots;
    private final long fileBytes;
    private final int seconds;
    private final long pid;
    private final java.util.Set<String> selected;
    static final List<String> PHASES = List.of("write_1MiB", "read_1MiB", "read_4KiB", "lookup", "metadata_mix");

    LoadGen(String host, int port, String export, int sessions, int slots, int fileMib, int seconds, long pid,
            java.util.Set<String> selected) {
        this.host = host;
        this.port = port;
        this.export = export;
        this.nSessions = sessions;
        this.nSlots = slots;
        this.fileBytes = (long) fileMib << 20;
        this.seconds = seconds;
        this.pid = pid;
        this.selected = selected;
    }

    interface Worker {
        /** One unit of work; returns bytes moved. */
        long step(int session, int thread, long iteration) throws IOException;
    }

    private final List<LoadSession> sessions = new ArrayList<>();
    private final List<NfsSession.OpenFile> files = new ArrayList<>();
    private byte[] dirFh;

    void run() throws Exception {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        for (int s = 0; s < nSessions; s++) {
            sessions.add(new LoadSession(new InetSocketAddress(host, port), "edge-bench-loadgen-" + run + "-" + s,
                    nSlots, IO));
        }
        dirFh = sessions.get(0).lookupPath(export);
        for (int s = 0; s < nSessions; s++) {
            files.add(sessions.get(s).create(dirFh, "loadgen-" + run + "-" + s));
        }
        int slotsGranted = sessions.get(0).slots;
        System.err.printf("loadgen: %d sessions x %d slots in flight (asked %d), 1 MiB I/O, file %d MiB per session%n",
                nSessions, slotsGranted, nSlots, fileBytes >> 20);
        System.out.println("phase\tseconds\tbytes\tops\tMiB/s\tops/s\tserver_cpu_s\tserver_vmhwm_kib"
                + "\tctxt_loop\tctxt_worker\tctxt_other");
        byte[] data = new byte[IO];
        ThreadLocalRandom.current().nextBytes(data);
        long blocks = fileBytes / IO;
        // WRITE: the threads of a session share its file; each block written once, then COMMIT.
        AtomicLong[] next = new AtomicLong[nSessions];
        for (int s = 0; s < nSessions; s++) {
            next[s] = new AtomicLong();
        }
        phase("write_1MiB", Long.MAX_VALUE, (s, t, i) -> {
            long b = next[s].getAndIncrement();
            if (b >= blocks) {
                return -1;
            }
            NfsSession.OpenFile f = files.get(s);
            return (long) sessions.get(s).compound(c -> c.putfh(f.fh()).write(f.stateid(), b * IO, Op.UNSTABLE, data))
                    .body(Op.WRITE, Res.Write.class).count();
        }, () -> {
            for (int s = 0; s < nSessions; s++) {
                NfsSession.OpenFile f = files.get(s);
                sessions.get(s).compound(c -> c.putfh(f.fh()).commit(0, 0));
            }
        });
        phase("read_1MiB", seconds, (s, t, i) -> {
            long b = ThreadLocalRandom.current().nextLong(blocks);
            NfsSession.OpenFile f = files.get(s);
            return (long) sessions.get(s).compound(c -> c.putfh(f.fh()).read(f.stateid(), b * IO, IO))
                    .body(Op.READ, Res.Read.class).data().length;
        }, null);
        // 4 KiB random reads: per-request cost, as fio's randread through the kernel client, without its limits
        long pages = fileBytes / 4096;
        phase("read_4KiB", seconds, (s, t, i) -> {
            long pg = ThreadLocalRandom.current().nextLong(pages);
            NfsSession.OpenFile f = files.get(s);
            return (long) sessions.get(s).compound(c -> c.putfh(f.fh()).read(f.stateid(), pg * 4096, 4096))
                    .body(Op.READ, Res.Read.class).data().length;
        }, null);
        // LOOKUP+GETATTR of names that exist (what stat(2) of an uncached path sends), hot in the server's caches
        phase("lookup", seconds, (s, t, i) -> {
            String name = "loadgen-" + run + "-" + s;
            for (int k = 0; k < 2; k++) {
                sessions.get(s).compound(c -> c.putfh(dirFh).lookup(name).getfh().getattr(GETATTR_BITS));
            }
            return -2; // two compounds (-1 means "done"), no data
        }, null);
        phase("metadata_mix", seconds, (s, t, i) -> {
            LoadSession ses = sessions.get(s);
            String name = "m-" + run + "-" + s + "-" + t + "-" + i;
            NfsSession.OpenFile f = ses.create(dirFh, name);
            ses.close(f);
            ses.compound(c -> c.putfh(dirFh).lookup(name).getattr(GETATTR_BITS));
            ses.compound(c -> c.putfh(dirFh).remove(name));
            return -4; // four compounds, no data
        }, null);
        for (int s = 0; s < nSessions; s++) {
            LoadSession ses = sessions.get(s);
            ses.close(files.get(s));
            String name = "loadgen-" + run + "-" + s;
            ses.compound(c -> c.putfh(dirFh).remove(name));
            ses.close();
        }
    }

    interface Finish {
        void run() throws IOException;
    }

    private void phase(String name, long limitSeconds, Worker w, Finish finish) throws Exception {
        if (!selected.contains(name)) {
            return;
        }
        AtomicLong bytes = new AtomicLong();
        AtomicLong ops = new AtomicLong();
        long cpu0 = serverCpuTicks();
        long[] ctxt0 = serverContextSwitches();
        long t0 = System.nanoTime();
        long deadline = limitSeconds == Long.MAX_VALUE ? Long.MAX_VALUE : t0 + limitSeconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < nSessions; s++) {
            for (int t = 0; t < sessions.get(s).slots; t++) {
                int ss = s;
                int tt = t;
                Thread th = new Thread(() -> {
                    try {
                        for (long i = 0; System.nanoTime() < deadline; i++) {
                            long n = w.step(ss, tt, i);
                            if (n == -1) {
                                break;
                            }
                            if (n < -1) {
                                ops.addAndGet(-n);
                            } else {
                                bytes.addAndGet(n);
                                ops.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "load-" + s + "-" + t);
                threads.add(th);
                th.start();
            }
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!errors.isEmpty()) {
            Throwable e = errors.get(0);
            throw new IOException(name + ": " + errors.size() + " thread(s) failed: " + e, e);
        }
        if (finish != null) {
            finish.run();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long cpu1 = serverCpuTicks();
        long[] ctxt1 = serverContextSwitches();
        String ctxt = ctxt0 == null ? "-\t-\t-" : (ctxt1[0] - ctxt0[0]) + "\t" + (ctxt1[1] - ctxt0[1]) + "\t"
                + (ctxt1[2] - ctxt0[2]);
        System.out.println(String.format(Locale.ROOT, "%s\t%.3f\t%d\t%d\t%.1f\t%.1f\t%s\t%s\t%s", name, secs,
                bytes.get(), ops.get(), bytes.get() / secs / (1 << 20), ops.get() / secs,
                cpu0 < 0 ? "-" : String.format(Locale.ROOT, "%.2f", (cpu1 - cpu0) / 100.0), vmHwmKib(), ctxt));
        System.out.flush();
    }

    /** utime + stime of the server process in clock ticks (USER_HZ, 100 on Linux), or -1 without --pid. */
    private long serverCpuTicks() throws IOException {
        if (pid < 0) {
            return -1;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * Context switches (voluntary + involuntary) of the server's threads so far, summed by kind: Netty event
     * loops, NFS workers ({@code nfsd-N}), all others; null without --pid. A thread that ended is not counted.
     */
    private long[] serverContextSwitches() throws IOException {
        if (pid < 0) {
            return null;
        }
        long[] sum = new long[3];
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm;
                List<String> status;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                    status = Files.readAllLines(task.resolve("status"));
                } catch (IOException gone) {
                    continue; // the thread ended while we listed
                }
                // comm is cut at 15 characters: "multiThreadIoEv", "epollEventLoopG", "nioEventLoopGro"
                String c = comm.toLowerCase(Locale.ROOT);
                int kind = c.startsWith("nfsd-") ? 1 : c.contains("eventloop") || c.contains("ioev") ? 0 : 2;
                for (String line : status) {
                    if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                        sum[kind] += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        return sum;
    }

    private String vmHwmKib() throws IOException {
        if (pid < 0) {
            return "-";
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.replaceAll("[^0-9]", "");
            }
        }
        return "-";
    }

}
