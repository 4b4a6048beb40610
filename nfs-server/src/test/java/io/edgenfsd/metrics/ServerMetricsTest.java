package io.edgenfsd.metrics;

import io.edgenfsd.status.NfsStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-operation recorder: cheap on the hot path, exact in what it exposes. */
class ServerMetricsTest {
    private static ServerMetrics metrics() {
        return new ServerMetrics(op -> op >= 3 && op <= 75 ? "OP" + op : null, 25, 38);
    }

    private static String scrape(ServerMetrics m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void recordingAnOperationAllocatesNothingOnceItsSeriesExist() {
        ServerMetrics m = metrics();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            m.operationDone(38, NfsStatus.OK, i, 4096);
            m.operationDone(15, NfsStatus.NOENT, i, 0);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 200_000; i++) {
            m.operationDone(38, NfsStatus.OK, i, 4096);
            m.operationDone(15, NfsStatus.NOENT, i, 0);
        }
        long bytes = threads.getThreadAllocatedBytes(id) - before;
        assertThat(bytes / 400_000.0).as("bytes allocated per recorded operation").isLessThan(1.0);
    }

    @Test
    void latencyBucketsAreCumulativeAndUnnamedOpcodesShareOneIllegalSeries() throws Exception {
        ServerMetrics m = metrics();
        m.operationDone(38, NfsStatus.OK, 30_000, 100);        // 30 us: above the 25 us bound
        m.operationDone(38, NfsStatus.OK, 2_000_000, 100);     // 2 ms
        m.operationDone(9999, NfsStatus.OP_ILLEGAL, 1, 0);
        m.operationDone(1, NfsStatus.OP_ILLEGAL, 1, 0);

        String text = scrape(m);

        assertThat(text).contains("edgenfsd_nfs_operation_duration_seconds_bucket{op=\"OP38\",le=\"2.5E-5\"} 0")
                .contains("edgenfsd_nfs_operation_duration_seconds_bucket{op=\"OP38\",le=\"5.0E-5\"} 1")
                .contains("edgenfsd_nfs_operation_duration_seconds_bucket{op=\"OP38\",le=\"0.0025\"} 2")
                .contains("edgenfsd_nfs_operation_duration_seconds_count{op=\"OP38\"} 2")
                .contains("edgenfsd_nfs_operation_duration_seconds_count{op=\"ILLEGAL\"} 2")
                .contains("edgenfsd_nfs_operations_total{op=\"ILLEGAL\"} 2")
                .contains("edgenfsd_nfs_errors_total{status=\"NFS4ERR_OP_ILLEGAL\"} 2")
                .contains("edgenfsd_nfs_data_bytes_total{direction=\"write\"} 200");
        assertThat(text).doesNotContain("op=\"OP15\"");
    }
}
