package io.edgenfsd.server;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.vfs.VolumeCapacity;
import io.edgenfsd.vfs.linux.ProjectQuota;
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
            boolean enforced;
            try {
                ProjectQuota.assign(root, e.id());
                ProjectQuota.setLimit(root, e.id(), cap);
                enforced = true;
                log.info("export {}: capacity {} bytes enforced by project quota {}", e.path(), cap, e.id());
            } catch (IOException | RuntimeException ex) {
                enforced = false;
                if (warned.add(e.path())) {
                    log.warn("export {}: capacity {} bytes is reported to clients but not enforced: this filesystem "
                            + "has no project quotas ({}); for enforcement use ext4 made with '-O quota,project' "
                            + "mounted with 'prjquota', or XFS with 'pquota'", e.path(), cap, ex.getMessage());
                }
            }
            next.put(e.id(), new Volume(root, e.id(), cap, enforced));
        }
        volumes.keySet().retainAll(next.keySet());
        volumes.putAll(next);
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
            try {
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
