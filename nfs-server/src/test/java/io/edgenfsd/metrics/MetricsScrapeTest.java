package io.edgenfsd.metrics;

import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Scrapes /metrics (on loopback) around a protocol workload: every counter moves by exactly what was done. */
class MetricsScrapeTest {
    @TempDir
    static Path tmp;
    static TestServer server;
    static Path exp;

    @BeforeAll
    static void start() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("protocol tests need root (CI runs them as root)").isZero();
        exp = tmp.resolve("exp");
        Files.createDirectories(exp);
        server = TestServer.start(tmp.resolve("state"), 1 << 20,
                s -> s.withMetrics(new InetSocketAddress("127.0.0.1", 0)),
                exp + " *(rw,sync,no_root_squash,insecure)");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void hundredWritesMoveTheWriteCounterByHundredAndTheBytesByWhatWasWritten() throws Exception {
        try (NfsSession s = server.session(Cred.root())) {
            byte[] dir = s.lookupPath(exp.toString());
            NfsSession.OpenFile f = s.create(dir, "counted", Attrs.mode(0644));
            Map<String, Double> before = scrape();
            byte[] data = new byte[1000];
            for (int i = 0; i < 100; i++) {
                assertThat(s.write(f, i * 1000L, data, Op.FILE_SYNC).count()).isEqualTo(1000);
            }
            for (int i = 0; i < 7; i++) {
                s.read(f, 0, 3000);
            }
            s.compound(true, c -> c.putfh(f.fh()).getattr(Fattr.SIZE)).orThrow(); // a reply the slot keeps
            Map<String, Double> after = scrape();
            assertThat(delta(before, after, "edgenfsd_nfs_operations_total{op=\"WRITE\"}")).isEqualTo(100);
            assertThat(delta(before, after, "edgenfsd_nfs_operations_total{op=\"READ\"}")).isEqualTo(7);
            // each WRITE and READ compound is SEQUENCE + PUTFH + the operation
            assertThat(delta(before, after, "edgenfsd_nfs_operations_total{op=\"PUTFH\"}")).isEqualTo(108);
            assertThat(delta(before, after, "edgenfsd_nfs_operation_duration_seconds_count{op=\"WRITE\"}"))
                    .isEqualTo(100);
            assertThat(delta(before, after, "edgenfsd_nfs_data_bytes_total{direction=\"write\"}")).isEqualTo(100_000);
            assertThat(delta(before, after, "edgenfsd_nfs_data_bytes_total{direction=\"read\"}")).isEqualTo(21_000);
            assertThat(delta(before, after, "edgenfsd_fsyncs_total")).isGreaterThanOrEqualTo(100);
            assertThat(after.get("edgenfsd_sessions")).isGreaterThanOrEqualTo(1);
            assertThat(after.get("edgenfsd_clients")).isGreaterThanOrEqualTo(1);
            assertThat(after.get("edgenfsd_open_states")).isGreaterThanOrEqualTo(1);
            assertThat(after.get("edgenfsd_connections")).isGreaterThanOrEqualTo(1);
            assertThat(after.get("edgenfsd_reply_cache_bytes")).isGreaterThan(0);
            assertThat(after.get("edgenfsd_grace")).isZero();
            assertThat(after).containsKey("jvm_memory_used_bytes{area=\"heap\"}");
            s.close(f);
        }
    }

    @Test
    void errorsAreCountedByTheirNfsStatus() throws Exception {
        try (NfsSession s = server.session(Cred.root())) {
            byte[] dir = s.lookupPath(exp.toString());
            Map<String, Double> before = scrape();
            for (int i = 0; i < 3; i++) {
                assertThat(s.compound(c -> c.putfh(dir).lookup("no-such-file")).status())
                        .isEqualTo(io.edgenfsd.status.NfsStatus.NOENT);
            }
            Map<String, Double> after = scrape();
            assertThat(delta(before, after, "edgenfsd_nfs_errors_total{status=\"NFS4ERR_NOENT\"}")).isEqualTo(3);
            assertThat(delta(before, after, "edgenfsd_nfs_operations_total{op=\"LOOKUP\"}")).isEqualTo(3);
        }
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertThat(after).as("series %s after the workload", series).containsKey(series);
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) (\\S+)$");

    /** Parses the text exposition format into "name{labels}" -> value. */
    private static Map<String, Double> scrape() throws Exception {
        InetSocketAddress a = server.server().metricsAddress();
        assertThat(a.getAddress().isLoopbackAddress()).isTrue();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + a.getPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> m = new HashMap<>();
        for (String l : r.body().split("\n")) {
            Matcher x = LINE.matcher(l);
            if (!l.startsWith("#") && x.matches()) {
                m.put(x.group(1), Double.parseDouble(x.group(3)));
            }
        }
        return m;
    }
}
