package io.edgenfsd.server;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.vfs.VolumeCapacity;
import io.edgenfsd.vfs.linux.Capabilities;
import io.edgenfsd.vfs.linux.LinuxCalls;
import io.edgenfsd.vfs.linux.ProjectQuota;
import io.edgenfsd.vfs.linux.StatVfs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Per-export volume sizes ({@code capacity=}). Where the filesystem has project quotas, the export's tree
 * becomes project {@code export id} with a hard block limit of the capacity, so the kernel refuses writes
 * beyond it (EDQUOT, which clients get as NFS4ERR_DQUOT) and the quota's usage is what is reported. Where
 * it has not, the size is only reported (logged once per export), with the usage from a walk of the tree
 * at most every {@link #SCAN_INTERVAL_NANOS} (waited for up to a second, else used at the next request). Either way the export's space_total is the
 * capacity and space_avail/space_free what is left of it (never more than the filesystem has), so `df` in
 * a pod shows the volume's size.
 */
final class Volumes implements VolumeCapacity {
    private static final Logger log = LoggerFactory.getLogger(Volumes.class);
    static final long SCAN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Volume(Path root, int project, long capacity, boolean enforced) {
    }

    private static final class Scan {
        volatile long used;
        volatile long doneNanos = Long.MIN_VALUE / 2;
        volatile boolean running;
    }

    private final long scanIntervalNanos;
    private final Map<Integer, Volume> volumes = new ConcurrentHashMap<>();
    private final Map<Path, Scan> scans = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final ExecutorService scanner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "edge-nfsd-volume-scan");
        t.setDaemon(true);
        return t;
    });

    Volumes() {
        this(SCAN_INTERVAL_NANOS);
    }

    /** With another interval between walks of a report-only volume (tests). */
    Volumes(long scanIntervalNanos) {
        this.scanIntervalNanos = scanIntervalNanos;
    }

    /** Sets up every export with a capacity (at start and after each reload); others are forgotten. */
    void apply(ExportTable exports) {
        // Setting a limit (quotactl Q_SETQUOTA) needs CAP_SYS_ADMIN: under systemd 'edge-nfsd apply-quotas'
        // (ExecStartPre=+) sets it and this server, without the capability, only checks that it was set.
        boolean maySet = mayApplyLimits();
        Map<Integer, Volume> next = new ConcurrentHashMap<>();
        for (Export e : exports.exports()) {
            if (e.capacity().isEmpty()) {
                continue;
            }
            long cap = e.capacity().getAsLong();
            Path root = Path.of(e.path());
            Volume known = volumes.get(e.id());
            if (known != null && known.root().equals(root) && known.capacity() == cap) {
                next.put(e.id(), known);
                continue;
            }
            Outcome o = maySet ? setUp(root, e.id(), cap) : check(root, e.id(), cap);
            if (o.state() == State.ENFORCED) {
                log.info("export {}: capacity {} enforced by project quota {} ({})", e.path(), size(cap), e.id(),
                        maySet ? "set by this server" : "set by 'edge-nfsd apply-quotas', checked");
            } else if (warned.add(e.path())) {
                log.warn("export {}: capacity {} is reported to clients but not enforced: {}", e.path(), size(cap),
                        o.detail());
            }
            next.put(e.id(), new Volume(root, e.id(), cap, o.state() == State.ENFORCED));
        }
        volumes.keySet().retainAll(next.keySet());
        volumes.putAll(next);
    }

    /** What setting up or checking a volume's quota found. */
    enum State { ENFORCED, NOT_ENFORCED, ERROR }

    record Outcome(State state, String detail) {
    }

    private static final String HOW = "for enforcement use ext4 made with '-O quota,project' mounted with "
            + "'prjquota', or XFS with 'pquota'";

    /** Whether this thread may set quota limits (CAP_SYS_ADMIN, quotactl(2)). */
    static boolean mayApplyLimits() {
        try {
            return Capabilities.effective(Capabilities.CAP_SYS_ADMIN);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Gives the tree under {@code root} project id {@code projid} (with inheritance) and the project a hard
     * limit of {@code capacity} bytes, then {@link #check}s that the kernel enforces it. A filesystem without
     * project quotas is NOT_ENFORCED; anything else that fails (no permission, I/O) is an ERROR.
     */
    static Outcome setUp(Path root, int projid, long capacity) {
        try {
            ProjectQuota.assign(root, projid);
            ProjectQuota.setLimit(root, projid, capacity);
        } catch (IOException | RuntimeException e) {
            if (ProjectQuota.unsupported(e)) {
                return new Outcome(State.NOT_ENFORCED, mountOf(root) + " has no project quota (" + e.getMessage()
                        + "); " + HOW);
            }
            return new Outcome(State.ERROR, String.valueOf(e.getMessage()));
        }
        return check(root, projid, capacity);
    }

    /**
     * Whether the kernel enforces {@code capacity} on {@code root}: the directory is in project {@code projid}
     * with the inherit flag, and statfs of it reports the project's limit as the size (ext4 and XFS do that
     * for a PROJINHERIT directory only while project limits are enforced). Needs no capability.
     */
    static Outcome check(Path root, int projid, long capacity) {
        String set = "; 'edge-nfsd apply-quotas' sets it (needs CAP_SYS_ADMIN, which the service's daemon lacks)";
        try {
            int id = ProjectQuota.projectId(root);
            if (id != projid) {
                return new Outcome(State.NOT_ENFORCED, root + " is in project " + id + ", not " + projid + set
                        + "; " + HOW);
            }
            if (!ProjectQuota.inherits(root)) {
                return new Outcome(State.NOT_ENFORCED, root + " lacks the project-inherit flag" + set);
            }
            StatVfs st = LinuxCalls.statvfs(root);
            long limit = (capacity + 1023) / 1024 * 1024;
            long total = st.totalBytes();
            if (total > limit || total <= limit - Math.max(st.frsize(), 1024)) {
                return new Outcome(State.NOT_ENFORCED, "statfs of " + root + " shows " + size(total) + ", not the "
                        + "project limit: the limit is not set" + set + ", or " + mountOf(root)
                        + " is not mounted with 'prjquota' (only accounting, no enforcement)");
            }
            return new Outcome(State.ENFORCED, "project " + projid + ", " + size(capacity) + ", enforced");
        } catch (IOException | RuntimeException e) {
            if (ProjectQuota.unsupported(e)) {
                return new Outcome(State.NOT_ENFORCED, mountOf(root) + " has no project quota (" + e.getMessage()
                        + "); " + HOW);
            }
            return new Outcome(State.ERROR, String.valueOf(e.getMessage()));
        }
    }

    /** "32 MiB", "5 GiB", or bytes. */
    static String size(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes > 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " bytes";
    }

    /** The mount point holding {@code p} (the longest one in /proc/self/mounts that is a prefix of it). */
    static String mountOf(Path p) {
        String best = "/";
        String type = "?";
        try {
            Path real = p.toRealPath();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2) {
                    String mp = f[1].replace("\\040", " ");
                    if (real.startsWith(mp) && mp.length() >= best.length()) {
                        best = mp;
                        type = f[2];
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return p.toString();
        }
        return best + " (" + type + ")";
    }

    /** Whether the export's capacity is enforced by the kernel (for status and tests). */
    boolean enforced(Export e) {
        Volume v = volumes.get(e.id());
        return v != null && v.enforced();
    }

    @Override
    public long[] usage(Export export, long[] fs) {
        Volume v = volumes.get(export.id());
        if (v == null) {
            return fs;
        }
        long used = used(v);
        long left = Math.max(0, Math.min(v.capacity() - used, fs[3]));
        long free = Math.max(0, Math.min(v.capacity() - used, fs[4]));
        return new long[] {fs[0], fs[1], fs[2], left, free, v.capacity()};
    }

    private long used(Volume v) {
        if (v.enforced()) {
            // statfs of the project's directory reports the project's limit and use (no quotactl, which the
            // service's system call filter does not allow)
            try {
                StatVfs st = LinuxCalls.statvfs(v.root());
                if (st.totalBytes() <= (v.capacity() + 1023) / 1024 * 1024) {
                    return st.totalBytes() - st.freeBytes();
                }
                return ProjectQuota.usage(v.root(), v.project()).usedBytes();
            } catch (IOException e) {
                log.debug("quota usage of {}: {}", v.root(), e.getMessage());
            }
        }
        Scan s = scans.computeIfAbsent(v.root(), k -> new Scan());
        if (!s.running && System.nanoTime() - s.doneNanos >= scanIntervalNanos) {
            s.running = true;
            java.util.concurrent.Future<?> walk = scanner.submit(() -> {
                try {
                    s.used = bytesUnder(v.root());
                } catch (IOException | UncheckedIOException e) {
                    log.debug("scanning {}: {}", v.root(), e.getMessage());
                } finally {
                    s.doneNanos = System.nanoTime();
                    s.running = false;
                }
            });
            try {
                walk.get(1, TimeUnit.SECONDS); // a small tree is answered fresh; a big one next time
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // still walking (or failed): the last value stands
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return s.used;
    }

    /** Sizes of the regular files under {@code root} (not following symlinks). */
    static long bytesUnder(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed meanwhile
                }
            }).sum();
        }
    }

    void close() {
        scanner.shutdownNow();
    }
}
