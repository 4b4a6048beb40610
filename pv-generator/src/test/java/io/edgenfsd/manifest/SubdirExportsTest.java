package io.edgenfsd.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** manifest --subdir: each PV's directory comes with its export line carrying the PV's size as capacity=. */
class SubdirExportsTest {
    @Test
    void subdirAppendsOneExportLinePerVolumeWithItsCapacityOnce(@TempDir Path tmp) throws Exception {
        Path export = Files.createDirectories(tmp.resolve("nfs"));
        Path file = tmp.resolve("k8s.exports");
        String[] args = {"--server", "192.168.1.10", "--path", export.toString(), "--name", "vol001", "--count", "2",
            "--subdir", "--size", "5Gi", "--exports-file", file.toString()};

        Cli r = Cli.run(args);

        assertThat(r.exit).as(r.err).isZero();
        assertThat(Files.readAllLines(file)).containsExactly(
                export + "/vol001 *(rw,sync,no_root_squash,no_all_squash,capacity=5Gi)",
                export + "/vol002 *(rw,sync,no_root_squash,no_all_squash,capacity=5Gi)");
        assertThat(export.resolve("vol002")).isDirectory();
        assertThat(r.err).contains("added to " + file).contains("edge-nfsd reload");

        Cli again = Cli.run(args);
        assertThat(again.exit).isZero();
        assertThat(Files.readAllLines(file)).as("directories already exported are not added twice").hasSize(2);
    }

    @Test
    void withoutAnExportsFileTheLinesAreShown(@TempDir Path tmp) throws Exception {
        Path export = Files.createDirectories(tmp.resolve("nfs"));

        Cli r = Cli.run("--server", "192.168.1.10", "--path", export.toString(), "--name", "one", "--subdir",
                "--size", "500Mi");

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err).contains("export line: " + export + "/one *(rw,sync,no_root_squash,no_all_squash,"
                + "capacity=500Mi)");
    }
}
