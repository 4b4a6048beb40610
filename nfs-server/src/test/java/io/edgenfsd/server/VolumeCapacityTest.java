package io.edgenfsd.server;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import io.edgenfsd.vfs.linux.ProjectQuota;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * capacity= where the filesystem has no project quotas (a tmpfs, which never has them): the export's
 * size is what clients see as space_total, what is left of it as space_avail/space_free, and writes are
 * not limited. (Kernel enforcement needs ext4 with project quotas, which this test cannot assume.)
 */
class VolumeCapacityTest {
    static final long CAP = 8L << 20;
    static final int SPACE_AVAIL = 42;
    static final int SPACE_FREE = 43;
    static final int SPACE_TOTAL = 44;

    @TempDir
    static Path tmp;
    static Path fs;
    static TestServer server;
    static String[] lines;

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    @BeforeAll
    static void start() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("mounting a tmpfs needs root (CI runs tests as root)").isZero();
        fs = tmp.resolve("tmpfs");
        Files.createDirectories(fs);
        run("mount", "-t", "tmpfs", "-o", "size=64m", "edge-nfsd-test", fs.toString());
        Files.createDirectories(fs.resolve("vol"));
        Files.createDirectories(fs.resolve("other"));
        lines = new String[] {
            fs.resolve("vol") + " *(rw,sync,no_root_squash,insecure,capacity=8Mi)",
            fs.resolve("other") + " *(rw,sync,no_root_squash,insecure)"};
        server = TestServer.start(tmp.resolve("state"), 1 << 20, lines);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (fs != null) {
            run("umount", "--lazy", fs.toString()); // the server keeps its export roots open until the JVM exits
        }
    }

    private static long write(NfsSession s, NfsSession.OpenFile f, long bytes) {
        byte[] chunk = new byte[512 * 1024];
        long written = 0;
        while (written < bytes) {
            long off = written;
            CompoundReply r = s.compound(c -> c.putfh(f.fh()).write(f.stateid(), off, Op.FILE_SYNC, chunk));
            assertThat(r.status()).as("WRITE at " + off).isEqualTo(NfsStatus.OK);
            written += chunk.length;
        }
        return written;
    }

    @Test
    void clientsSeeTheCapacityAsTheSizeAndWritesAreNotLimitedWithoutProjectQuotas() {
        try (NfsSession s = server.session(Cred.root())) {
            byte[] dir = s.lookupPath(fs.resolve("vol").toString());
            var a = s.getattr(dir, SPACE_AVAIL, SPACE_FREE, SPACE_TOTAL).attrs();
            assertThat(a.get(SPACE_TOTAL)).isEqualTo(CAP);
            assertThat((Long) a.get(SPACE_AVAIL)).isLessThanOrEqualTo(CAP);
            assertThat((Long) a.get(SPACE_FREE)).isLessThanOrEqualTo(CAP);

            NfsSession.OpenFile f = s.create(dir, "beyond", Attrs.mode(0644));
            assertThat(write(s, f, CAP + (2 << 20))).isEqualTo(CAP + (2 << 20));

            byte[] other = s.lookupPath(fs.resolve("other").toString());
            assertThat((Long) s.getattr(other, SPACE_TOTAL).attrs().get(SPACE_TOTAL)).isEqualTo(64L << 20);
        }
    }

    @Test
    void aReportOnlyVolumesUsageComesFromWalkingItsTree() throws Exception {
        Path root = Files.createDirectories(fs.resolve("walked"));
        Export e = ExportTable.fromLines(List.of(root + " *(rw,capacity=8Mi)"), "test").exports().get(0);
        Volumes v = new Volumes(0);
        try {
            v.apply(ExportTable.fromLines(List.of(root + " *(rw,capacity=8Mi)"), "test"));
            assertThat(v.enforced(e)).isFalse();
            Files.write(root.resolve("three-mib"), new byte[3 << 20]);
            long[] fsUsage = {100, 100, 200, 60L << 20, 60L << 20, 64L << 20};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long[] u;
            do {
                u = v.usage(e, fsUsage);
                Thread.sleep(20);
            } while (u[3] != CAP - (3 << 20) && System.nanoTime() < deadline);
            assertThat(u).containsExactly(100, 100, 200, CAP - (3 << 20), CAP - (3 << 20), CAP);
            // never more than the filesystem itself has left
            long[] tight = v.usage(e, new long[] {1, 1, 1, 1 << 20, 2 << 20, 64L << 20});
            assertThat(tight[3]).isEqualTo(1 << 20);
            assertThat(tight[4]).isEqualTo(2 << 20);
            assertThat(tight[5]).isEqualTo(CAP);
        } finally {
            v.close();
        }
    }

    @Test
    void aFilesystemWithoutProjectQuotasRefusesAProjectId() {
        assertThatThrownBy(() -> ProjectQuota.assign(fs.resolve("other"), 4242)).isInstanceOf(IOException.class)
                .hasMessageContaining("FS_IOC_FS");
    }
}
