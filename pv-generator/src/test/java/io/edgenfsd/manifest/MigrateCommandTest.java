package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edge-nfsd manifest migrate}: the one-off copy Job onto other storage. */
class MigrateCommandTest {

    private static ManifestChecker.Report check(String yaml) throws Exception {
        return ManifestChecker.check(List.of(new ManifestChecker.Source("all.yaml", new StringReader(yaml))),
                "local-path");
    }

    private static Job job(Cli r) {
        assertThat(r.exit).as(r.err).isZero();
        List<HasMetadata> objs = KubernetesSchema.validateYaml(r.out);
        assertThat(objs).hasSize(1);
        return (Job) objs.get(0);
    }

    @Test
    void migrateEmitsAJobThatMountsTheSourceReadOnlyAndTheTargetAndFitsTheKubernetesApiModel() {
        Job job = job(Cli.run("migrate", "--from-claim", "pv-claim", "--to-claim", "longhorn-claim"));
        assertThat(job.getMetadata().getName()).isEqualTo("migrate-pv-claim");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getVolumes()).hasSize(2);
        assertThat(pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("pv-claim");
        assertThat(pod.getVolumes().get(0).getPersistentVolumeClaim().getReadOnly()).isTrue();
        assertThat(pod.getVolumes().get(1).getPersistentVolumeClaim().getClaimName()).isEqualTo("longhorn-claim");
        assertThat(pod.getVolumes().get(1).getPersistentVolumeClaim().getReadOnly()).isNull();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("debian:bookworm-slim");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath() + ":" + m.getReadOnly())
                .containsExactly("/from:true", "/to:null");
        assertThat(c.getCommand()).hasSize(3).startsWith("/bin/sh", "-c");
        assertThat(c.getCommand().get(2)).contains("cp -a /from/. /to/")
                .contains("diff -r --no-dereference -x lost+found -x .edge-nfsd-migrating /from /to");
        assertThat(c.getSecurityContext().getRunAsUser()).isZero();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd())
                .containsExactly("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "MKNOD", "SETFCAP");
        assertThat(job.getSpec().getPodFailurePolicy().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getAction()).isEqualTo("FailJob");
            assertThat(rule.getOnExitCodes().getValues()).containsExactly(MigrationJob.REFUSED_EXIT);
            assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo("copy");
        });
    }

    @Test
    void migrateAndCheckPrintTheVersionLikeManifest() {
        String v = Cli.run("--version").out;
        assertThat(v).startsWith("edge-nfsd manifest ");
        assertThat(Cli.run("migrate", "--version").out).isEqualTo(v);
        assertThat(Cli.run("check", "--version").out).isEqualTo(v);
    }

    @Test
    void theScriptIsPrintedAsAReadableLiteralBlock() {
        Cli r = Cli.run("migrate", "--from-claim", "pv-claim", "--to-claim", "longhorn-claim");
        assertThat(r.out).contains("  - |\n").contains("\n          cp -a /from/. /to/\n");
    }

    @Test
    void namespaceNameImageBackoffAndLabelsAreHonouredAndJsonFitsTheModelToo() throws Exception {
        Cli r = Cli.run("migrate", "--from-claim", "data", "--to-claim", "data-ceph", "--namespace", "media",
                "--name", "move-data", "--image", "registry.local:5000/tools/coreutils:1.0", "--backoff-limit", "0",
                "--label", "app=media", "-o", "json");
        assertThat(r.exit).as(r.err).isZero();
        Job job = (Job) KubernetesSchema.validateJson(r.out).get(0);
        assertThat(job.getMetadata().getName()).isEqualTo("move-data");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("media");
        assertThat(job.getMetadata().getLabels()).containsEntry("app", "media");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "media");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.local:5000/tools/coreutils:1.0");
    }

    @Test
    void theJobPassesManifestCheckBesideTheEdgeNfsdVolumeItCopiesFromAndNamesTheTargetClaimItNeeds()
            throws Exception {
        Cli pv = Cli.run("--server", "192.168.1.10", "--name", "pv001", "--size", "5Gi", "--claim", "pv-claim");
        Cli job = Cli.run("migrate", "--from-claim", "pv-claim", "--to-claim", "longhorn-claim");
        ManifestChecker.Report report = check(pv.out + "---\n" + job.out);
        assertThat(report.diagnostics).isEmpty();
        assertThat(report.exitCode()).isZero();
        assertThat(report.notes).singleElement().asString()
                .contains("Job migrate-pv-claim (all.yaml:3) mounts claim default/longhorn-claim")
                .contains("not in the files checked");
        ManifestChecker.Report alone = check(job.out);
        assertThat(alone.exitCode()).isZero();
        assertThat(alone.notes).hasSize(2).anySatisfy(n -> assertThat(n).contains("default/pv-claim read-only"));
    }

    private static void assertUsageError(Cli r, String flag, String text) {
        assertThat(r.exit).as(r.err).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).contains(flag).contains(text);
    }

    @Test
    void badMigrateFlagsAreRefusedWithAMessageNamingTheFlag() {
        String[] ok = {"migrate", "--from-claim", "pv-claim", "--to-claim", "longhorn-claim"};
        assertUsageError(Cli.run("migrate", "--from-claim", "pv-claim"), "--to-claim", "Missing required option");
        assertUsageError(Cli.run("migrate", "--to-claim", "x"), "--from-claim", "Missing required option");
        assertUsageError(Cli.run("migrate", "--from-claim", "a", "--to-claim", "a"),
                "edge-nfsd manifest migrate: --to-claim: ", "also --from-claim");
        assertUsageError(Cli.run("migrate", "--from-claim", "Pv_Claim", "--to-claim", "b"),
                "edge-nfsd manifest migrate: --from-claim: ", "not a valid PersistentVolumeClaim name");
        assertUsageError(Cli.run("migrate", "--from-claim", "a".repeat(60), "--to-claim", "b"),
                "edge-nfsd manifest migrate: --from-claim: ", "longer than 63 characters (68); a Job's name");
        assertUsageError(Cli.run(append(ok, "--name", "n".repeat(64))), "edge-nfsd manifest migrate: --name: ",
                "longer than 63");
        assertUsageError(Cli.run(append(ok, "--image", "debian slim")), "edge-nfsd manifest migrate: --image: ",
                "not an image reference");
        assertUsageError(Cli.run(append(ok, "--backoff-limit", "-1")), "edge-nfsd manifest migrate: --backoff-limit: ",
                "0..10");
        assertUsageError(Cli.run(append(ok, "--namespace", "My")), "edge-nfsd manifest migrate: --namespace: ",
                "not a valid namespace");
        assertUsageError(Cli.run(append(ok, "--label", "a=-")), "edge-nfsd manifest migrate: --label: ", "value '-'");
        assertUsageError(Cli.run(append(ok, "-o", "xml")), "edge-nfsd manifest migrate: --output: ", "not yaml or json");
        assertUsageError(Cli.run(append(ok, "--backoff-limit", "two")), "--backoff-limit", "'two' is not an int");
    }

    private static String[] append(String[] a, String... more) {
        String[] out = new String[a.length + more.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    // ---- the script itself, run by this host's /bin/sh with GNU cp and diff (as in the Debian image) --------

    private static MigrationJob.Options options() {
        MigrationJob.Options o = new MigrationJob.Options();
        o.fromClaim = "pv-claim";
        o.toClaim = "longhorn-claim";
        return o;
    }

    private static final class Run {
        final int exit;
        final String output;

        Run(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static Run runScript(Path from, Path to) throws Exception {
        String script = MigrationJob.script(options(), from.toString(), to.toString());
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void tree(Path from) throws IOException {
        Files.createDirectories(from.resolve("db/wal"));
        Files.writeString(from.resolve("db/data.sqlite"), "rows");
        Files.writeString(from.resolve("db/wal/0001"), "log");
        Files.setPosixFilePermissions(from.resolve("db/data.sqlite"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(from.resolve("db/data.sqlite"), FileTime.fromMillis(1_600_000_000_000L));
        Files.createSymbolicLink(from.resolve("current"), Path.of("db/data.sqlite"));
        Files.createLink(from.resolve("db/hardlink"), from.resolve("db/wal/0001"));
    }

    @Test
    void theScriptCopiesModesTimesSymlinksAndHardLinksThenComparesTheTrees(@TempDir Path dir) throws Exception {
        Path from = dir.resolve("from");
        Path to = Files.createDirectories(dir.resolve("to"));
        tree(from);
        Files.createDirectory(to.resolve("lost+found"));
        Run r = runScript(from, to);
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("migrate: copied claim pv-claim to claim longhorn-claim and compared them");
        assertThat(Files.readString(to.resolve("db/data.sqlite"))).isEqualTo("rows");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(to.resolve("db/data.sqlite"))))
                .isEqualTo("rw-r-----");
        assertThat(Files.getLastModifiedTime(to.resolve("db/data.sqlite")).toMillis()).isEqualTo(1_600_000_000_000L);
        assertThat(Files.isSymbolicLink(to.resolve("current"))).isTrue();
        assertThat(Files.readSymbolicLink(to.resolve("current"))).isEqualTo(Path.of("db/data.sqlite"));
        assertThat(Files.getAttribute(to.resolve("db/hardlink"), "unix:ino", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(Files.getAttribute(to.resolve("db/wal/0001"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
        assertThat(to.resolve(MigrationJob.MARKER)).doesNotExist();
    }

    @Test
    void theScriptRefusesATargetThatAlreadyHoldsDataAndTouchesNothing(@TempDir Path dir) throws Exception {
        Path from = dir.resolve("from");
        Path to = Files.createDirectories(dir.resolve("to"));
        tree(from);
        Files.writeString(to.resolve("precious"), "keep");
        Run r = runScript(from, to);
        assertThat(r.exit).isEqualTo(MigrationJob.REFUSED_EXIT);
        assertThat(r.output).contains("claim longhorn-claim already holds data; refusing to copy over it");
        try (var files = Files.list(to)) {
            assertThat(files).containsExactly(to.resolve("precious"));
        }
    }

    @Test
    void aRetryAfterAnInterruptedCopyGoesOnAndAMismatchFailsTheCopy(@TempDir Path dir) throws Exception {
        Path from = dir.resolve("from");
        Path to = Files.createDirectories(dir.resolve("to"));
        tree(from);
        // an earlier try stopped half-way: its marker and part of the data are there
        Files.writeString(to.resolve(MigrationJob.MARKER), "");
        Files.createDirectories(to.resolve("db"));
        Files.writeString(to.resolve("db/data.sqlite"), "ro");
        Run retry = runScript(from, to);
        assertThat(retry.exit).as(retry.output).isZero();
        assertThat(Files.readString(to.resolve("db/data.sqlite"))).isEqualTo("rows");

        // a target with something the source does not have is a mismatch: the Job fails and keeps its marker
        Path to2 = Files.createDirectories(dir.resolve("to2"));
        Files.writeString(to2.resolve(MigrationJob.MARKER), "");
        Files.writeString(to2.resolve("stray"), "x");
        Run mismatch = runScript(from, to2);
        assertThat(mismatch.exit).isNotZero();
        assertThat(mismatch.output).contains("Only in " + to2 + ": stray");
        assertThat(to2.resolve(MigrationJob.MARKER)).exists();
    }
}
