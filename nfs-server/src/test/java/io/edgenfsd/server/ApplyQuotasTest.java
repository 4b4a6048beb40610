package io.edgenfsd.server;

import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 'edge-nfsd apply-quotas' where the filesystem has no project quotas (a tmpfs): one "not enforced" line
 * per capacity= export and exit 0 (the service must still start); a missing export directory is a
 * configuration error, exit 2, as for serve; the daemon's check without the capability says the same.
 * (Enforcement itself needs ext4 with project quotas: it/server-guest/quota.sh.)
 */
class ApplyQuotasTest {
    @TempDir
    static Path tmp;
    static Path fs;

    @BeforeAll
    static void mountTmpfs() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("mounting a tmpfs needs root (CI runs tests as root)").isZero();
        fs = tmp.resolve("tmpfs");
        Files.createDirectories(fs);
        VolumeCapacityTest.run("mount", "-t", "tmpfs", "-o", "size=8m", "edge-nfsd-aq", fs.toString());
        Files.createDirectories(fs.resolve("vol"));
    }

    @AfterAll
    static void unmount() throws Exception {
        VolumeCapacityTest.run("umount", fs.toString());
    }

    private static int run(StringBuilder out, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setOut(new PrintStream(b, true));
        try {
            return Cli.commandLine().execute(args);
        } finally {
            System.setOut(old);
            out.append(b);
        }
    }

    @Test
    void withoutProjectQuotasEachCapacityExportIsReportedNotEnforcedAndTheExitIsZero() {
        StringBuilder out = new StringBuilder();
        int rc = run(out, "apply-quotas", "--export", fs.resolve("vol") + " *(rw,capacity=4Mi)",
                "--export", fs + " *(rw)");
        assertThat(rc).as(out.toString()).isZero();
        assertThat(out.toString().lines()).hasSize(1);
        assertThat(out.toString()).startsWith(fs.resolve("vol") + ": 4 MiB, not enforced: " + fs + " (tmpfs) has no project quota");
    }

    @Test
    void aMissingExportDirectoryIsAConfigurationError() {
        StringBuilder out = new StringBuilder();
        assertThat(run(out, "apply-quotas", "--export", fs.resolve("nowhere") + " *(rw,capacity=4Mi)")).isEqualTo(2);
    }

    @Test
    void theDaemonsCheckOfAVolumeWithoutAQuotaSaysNotEnforced() {
        Volumes.Outcome o = Volumes.check(fs.resolve("vol"), 7, 4L << 20);
        assertThat(o.state()).isEqualTo(Volumes.State.NOT_ENFORCED);
        assertThat(o.detail()).containsAnyOf("has no project quota", "is in project 0, not 7");
    }

    @Test
    void sizesPrintInBinaryUnits() {
        assertThat(Volumes.size(32L << 20)).isEqualTo("32 MiB");
        assertThat(Volumes.size(5L << 30)).isEqualTo("5 GiB");
        assertThat(Volumes.size(1000)).isEqualTo("1000 bytes");
    }

}
