package io.edgenfsd.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.concurrent.atomic.LongAdder;

/**
 * Operation latency as a classic Prometheus histogram, one series per operation, kept in plain
 * {@link LongAdder}s and turned into a snapshot only at scrape time. (The client library's own
 * {@code Histogram.observe} allocates 40 bytes per call under the C1-only JIT the .deb runs with; this
 * allocates nothing per observation.)
 */
final class LatencyHistogram implements Collector {
    static final String NAME = "edgenfsd_nfs_operation_duration_seconds";

    private final double[] bounds;          // seconds, ending with +Inf
    private final long[] boundsNanos;       // the same without +Inf
    private final String[] names;
    private final LongAdder[][] buckets;
    private final LongAdder[] sumNanos;

    LatencyHistogram(double[] boundsSeconds, String[] names) {
        this.bounds = java.util.Arrays.copyOf(boundsSeconds, boundsSeconds.length + 1);
        this.bounds[boundsSeconds.length] = Double.POSITIVE_INFINITY;
        this.boundsNanos = new long[boundsSeconds.length];
        for (int i = 0; i < boundsSeconds.length; i++) {
            boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
        }
        this.names = names.clone();
        this.buckets = new LongAdder[names.length][];
        this.sumNanos = new LongAdder[names.length];
    }

    /** Records one operation of series {@code i}; the series is created on first use. */
    void observe(int i, long nanos) {
        LongAdder[] b = buckets[i];
        if (b == null) {
            b = create(i);
        }
        int k = 0;
        while (k < boundsNanos.length && nanos > boundsNanos[k]) {
            k++;
        }
        b[k].increment();
        sumNanos[i].add(nanos);
    }

    private synchronized LongAdder[] create(int i) {
        if (buckets[i] == null) {
            LongAdder[] b = new LongAdder[bounds.length];
            for (int k = 0; k < b.length; k++) {
                b[k] = new LongAdder();
            }
            sumNanos[i] = new LongAdder();
            buckets[i] = b; // published last: observe() reads buckets[i] first
        }
        return buckets[i];
    }

    @Override
    public MetricSnapshot collect() {
        HistogramSnapshot.Builder h = HistogramSnapshot.builder().name(NAME).unit(Unit.SECONDS)
                .help("time from decoding an operation's arguments to its encoded result, by operation");
        for (int i = 0; i < names.length; i++) {
            LongAdder[] b = buckets[i];
            if (b == null) {
                continue;
            }
            long[] counts = new long[b.length];
            for (int k = 0; k < b.length; k++) {
                counts[k] = b[k].sum();
            }
            h.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(sumNanos[i].sum() * 1e-9).labels(Labels.of("op", names[i])).build());
        }
        return h.build();
    }

    @Override
    @SuppressWarnings("deprecation") // still what the 1.x registry asks to detect duplicate names
    public String getPrometheusName() {
        return NAME;
    }
}
