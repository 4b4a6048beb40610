package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCommandTest {

    static final String ONE_LINER_YAML = String.join("\n",
            "apiVersion: v1",
            "kind: PersistentVolume",
            "metadata:",
            "  name: pv001",
            "spec:",
            "  capacity:",
            "    storage: 5Gi",
            "  volumeMode: Filesystem",
            "  accessModes:",
            "  - ReadWriteMany",
            "  persistentVolumeReclaimPolicy: Retain",
            "  storageClassName: \"\"",
            "  mountOptions:",
            "  - hard",
            "  - nfsvers=4.1",
            "  nfs:",
            "    server: 192.168.1.10",
            "    path: /var/nfs-k8s",
            "  claimRef:",
            "    name: pv-claim",
            "    namespace: default",
            "---",
            "apiVersion: v1",
            "kind: PersistentVolumeClaim",
            "metadata:",
            "  name: pv-claim",
            "  namespace: default",
            "spec:",
            "  storageClassName: \"\"",
            "  volumeMode: Filesystem",
            "  accessModes:",
            "  - ReadWriteMany",
            "  resources:",
            "    requests:",
            "      storage: 5Gi",
            "  volumeName: pv001",
            "");

    private static ManifestChecker.Report check(String yaml, String defaultClass) throws Exception {
        return ManifestChecker.check(List.of(new ManifestChecker.Source("out.yaml", new StringReader(yaml))),
                defaultClass);
    }

    @Test
    void theReadmeOneLinerPrintsATwoWayBoundPvAndPvcAndSaysOnStderrHowTheServerWasChosen() {
        Cli r = Cli.run("--name", "pv001", "--size", "5Gi", "--claim", "pv-claim");
        assertThat(r.exit).isZero();
        assertThat(r.out).isEqualTo(ONE_LINER_YAML);
        assertThat(r.err).contains("--server not given; using 192.168.1.10: IPv4 address of eth0")
                .contains("no traffic sent");
        assertThat(r.out).doesNotContain("edge-nfsd");
    }

    @Test
    void theOneLinerOutputFitsTheKubernetesApiModelAndEveryClaimBindsToNfs() throws Exception {
        Cli r = Cli.run("--name", "pv001", "--size", "5Gi", "--claim", "pv-claim");
        List<HasMetadata> objs = KubernetesSchema.validateYaml(r.out);
        PersistentVolume pv = (PersistentVolume) objs.get(0);
        PersistentVolumeClaim pvc = (PersistentVolumeClaim) objs.get(1);
        assertThat(pv.getMetadata().getNamespace()).isNull();
        assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo(pvc.getMetadata().getName());
        assertThat(pv.getSpec().getClaimRef().getNamespace()).isEqualTo(pvc.getMetadata().getNamespace());
        assertThat(pvc.getSpec().getVolumeName()).isEqualTo(pv.getMetadata().getName());
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo(pv.getSpec().getStorageClassName()).isEmpty();
        for (String cls : new String[] {"local-path", ""}) {
            ManifestChecker.Report report = check(r.out, cls);
            assertThat(report.exitCode()).isZero();
            assertThat(report.outcomes).singleElement().satisfies(o -> {
                assertThat(o.status).isEqualTo(BindingSimulator.Status.BOUND_NFS);
                assertThat(o.summary).contains("two-way binding");
                assertThat(o.warnings).isEmpty();
            });
            assertThat(report.count(Diagnostic.Severity.WARNING)).isZero();
        }
    }

    @Test
    void seededRandomFlagCombinationsAllProduceValidDocumentsThatBindOneToOne() throws Exception {
        Random rnd = new Random(4242L);
        String[] sizes = {"1Gi", "5Gi", "500Mi", "1Ti", "3Gi", "2048Ki", "10Gi"};
        String[][] modes = {{"RWX"}, {"RWO"}, {"ROX"}, {"RWOP"}, {"RWO", "RWX"}, {"ReadOnlyMany", "RWX"}};
        for (int i = 0; i < 60; i++) {
            List<String> args = new ArrayList<>(List.of("--server", "10.0.0." + (1 + rnd.nextInt(200)),
                    "--name", "vol" + i + "-001", "--size", sizes[rnd.nextInt(sizes.length)],
                    "--count", String.valueOf(1 + rnd.nextInt(4)), "--namespace", rnd.nextBoolean() ? "default" : "media"));
            for (String m : modes[rnd.nextInt(modes.length)]) {
                args.add("--access-mode");
                args.add(m);
            }
            if (rnd.nextBoolean()) {
                args.addAll(List.of("--storage-class", "nfs-static"));
            }
            if (rnd.nextBoolean()) {
                args.addAll(List.of("--label", "app=demo", "--label", "tier=on"));
            }
            if (rnd.nextBoolean()) {
                args.addAll(List.of("--path", "/srv/export", "--subdir"));
            }
            if (rnd.nextInt(3) == 0) {
                args.addAll(List.of("--mount-option", "hard", "--mount-option", "nfsvers=4.1",
                        "--mount-option", "noatime"));
            }
            boolean json = rnd.nextInt(4) == 0;
            if (json) {
                args.addAll(List.of("-o", "json"));
            }
            Cli r = Cli.run(args.toArray(new String[0]));
            assertThat(r.exit).as(String.join(" ", args) + "\n" + r.err).isZero();
            List<HasMetadata> objs = json ? KubernetesSchema.validateJson(r.out) : KubernetesSchema.validateYaml(r.out);
            assertThat(objs).hasSizeGreaterThanOrEqualTo(2);
            if (!json) {
                ManifestChecker.Report report = check(r.out, "local-path");
                assertThat(report.exitCode()).as(args.toString()).isZero();
                assertThat(report.outcomes).allSatisfy(o -> {
                    assertThat(o.status).isEqualTo(BindingSimulator.Status.BOUND_NFS);
                    assertThat(o.volume.name).isEqualTo(o.claim.volumeName);
                    assertThat(o.warnings).isEmpty();
                });
                assertThat(report.outcomes.stream().map(o -> o.volume.name).distinct().count())
                        .isEqualTo(report.outcomes.size());
            }
        }
    }

    @Test
    void labelValuesThatYamlWouldReadAsBooleansOrNumbersAreQuoted() throws Exception {
        Cli r = Cli.run("--server", "nas", "--label", "enabled=on", "--label", "version=1.10",
                "--label", "flag=yes");
        assertThat(r.out).contains("enabled: \"on\"").contains("version: \"1.10\"").contains("flag: \"yes\"");
        KubernetesSchema.validateYaml(r.out);
        assertThat(check(r.out, "local-path").exitCode()).isZero();
    }

    @Test
    void countNumbersTheSeriesAndSubdirGivesEachVolumeItsOwnDirectoryCreatedWithTheRequestedMode(
            @TempDir Path export) throws Exception {
        Cli r = Cli.run("--server", "192.168.1.10", "--path", export.toString(), "--name", "pv001",
                "--claim", "data", "--count", "3", "--subdir", "--subdir-mode", "0750");
        assertThat(r.exit).as(r.err).isZero();
        List<HasMetadata> objs = KubernetesSchema.validateYaml(r.out);
        assertThat(objs).extracting(o -> o.getMetadata().getName())
                .containsExactly("pv001", "data-1", "pv002", "data-2", "pv003", "data-3");
        assertThat(((PersistentVolume) objs.get(2)).getSpec().getNfs().getPath()).isEqualTo(export + "/pv002");
        for (String d : new String[] {"pv001", "pv002", "pv003"}) {
            assertThat(export.resolve(d)).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.resolve(d))))
                    .isEqualTo("rwxr-x---");
        }
        assertThat(r.err).contains("created " + export + "/pv001");
    }

    @Test
    void subdirOnAHostWithoutTheExportSaysWhatToCreateOnTheServer() {
        Cli r = Cli.run("--server", "192.168.1.10", "--path", "/nonexistent-export-dir", "--subdir");
        assertThat(r.exit).isZero();
        assertThat(r.err).contains("not a directory on this host").contains("mkdir -p -m 0777 /nonexistent-export-dir/nfs-pv");
    }

    @Test
    void csiEmitsAValidCsiDriverNfsStorageClassAndClaimsThatItProvisions() throws Exception {
        Cli r = Cli.run("--csi", "--server", "192.168.1.10", "--claim", "app-data", "--size", "2Gi",
                "--subdir", "--reclaim-policy", "Delete", "--on-delete", "delete", "--mount-permissions", "0777");
        assertThat(r.exit).as(r.err).isZero();
        List<HasMetadata> objs = KubernetesSchema.validateYaml(r.out);
        StorageClass sc = (StorageClass) objs.get(0);
        assertThat(sc.getProvisioner()).isEqualTo("nfs.csi.k8s.io");
        assertThat(sc.getParameters()).containsEntry("server", "192.168.1.10").containsEntry("share", "/var/nfs-k8s")
                .containsEntry("onDelete", "delete").containsEntry("mountPermissions", "0777")
                .containsKey("subDir");
        assertThat(sc.getReclaimPolicy()).isEqualTo("Delete");
        PersistentVolumeClaim pvc = (PersistentVolumeClaim) objs.get(1);
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("edge-nfs");
        assertThat(r.out).contains("mountPermissions: \"0777\"");
        ManifestChecker.Report report = check(r.out, "local-path");
        assertThat(report.exitCode()).isZero();
        assertThat(report.outcomes).singleElement()
                .satisfies(o -> assertThat(o.status).isEqualTo(BindingSimulator.Status.PROVISIONED_NFS));
    }

    @Test
    void jsonOutputIsAV1ListThatFitsTheKubernetesApiModel() throws Exception {
        Cli r = Cli.run("--server", "192.168.1.10", "-o", "json", "--label", "a=b");
        assertThat(r.exit).isZero();
        assertThat(r.out).startsWith("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\"");
        assertThat(KubernetesSchema.validateJson(r.out)).hasSize(2);
    }

    @Test
    void recycleIsAcceptedWithTheDeprecationWarningKubernetesGives() throws Exception {
        Cli r = Cli.run("--server", "192.168.1.10", "--reclaim-policy", "Recycle");
        assertThat(r.exit).isZero();
        assertThat(r.err).contains("warning: spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is"
                + " deprecated. Instead, the recommended approach is to use dynamic provisioning.");
        KubernetesSchema.validateYaml(r.out);
    }

    @Test
    void decimalSizesAreAcceptedWithAWarningAboutBinaryUnits() {
        Cli r = Cli.run("--server", "192.168.1.10", "--size", "5G");
        assertThat(r.exit).isZero();
        assertThat(r.err).contains("--size: 5G is a decimal quantity (5,000,000,000 bytes = 5G = 4.66Gi)");
        assertThat(r.out).contains("storage: 5G\n");
    }

    @Test
    void sizesArePrintedInTheCanonicalFormKubernetesStores() {
        Cli r = Cli.run("--server", "192.168.1.10", "--size", "1.5Gi");
        assertThat(r.out).contains("storage: 1536Mi\n");
    }

    private static void assertUsageError(Cli r, String flag, String text) {
        assertThat(r.exit).as(r.err).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).contains("edge-nfsd manifest: " + flag + ": ").contains(text);
    }

    @Test
    void badInputIsRefusedWithAMessageNamingTheFlag() {
        String s = "--server=192.168.1.10";
        assertUsageError(Cli.run(s, "--size", "5gi"), "--size", "invalid quantity \"5gi\"");
        assertUsageError(Cli.run(s, "--size", "0"), "--size", "greater than zero");
        assertUsageError(Cli.run(s, "--size", "-1Gi"), "--size", "greater than zero");
        assertUsageError(Cli.run(s, "--reclaim-policy", "Delete"), "--reclaim-policy", "refused for a static NFS");
        assertUsageError(Cli.run(s, "--reclaim-policy", "retain"), "--reclaim-policy", "case-sensitive");
        assertUsageError(Cli.run(s, "--access-mode", "RWOP", "--access-mode", "RWO"), "--access-mode",
                "ReadWriteOncePod with other access modes");
        assertUsageError(Cli.run(s, "--access-mode", "RW"), "--access-mode", "unknown access mode 'RW'");
        assertUsageError(Cli.run(s, "--volume-mode", "Block"), "--volume-mode", "NFS exports a file system");
        assertUsageError(Cli.run(s, "--name", "PV_1"), "--name", "not a valid PersistentVolume name");
        assertUsageError(Cli.run(s, "--claim", "Claim"), "--claim", "not a valid PersistentVolumeClaim name");
        assertUsageError(Cli.run(s, "--namespace", "my.ns"), "--namespace", "RFC 1123 label");
        assertUsageError(Cli.run(s, "--storage-class", "Fast"), "--storage-class", "not a valid StorageClass");
        assertUsageError(Cli.run(s, "--label", "app=-x"), "--label", "value '-x'");
        assertUsageError(Cli.run(s, "--mount-option", "nfsvers=4.2"), "--mount-option", "4.1 only");
        assertUsageError(Cli.run(s, "--path", "var/nfs"), "--path", "absolute path");
        assertUsageError(Cli.run(s, "--count", "0"), "--count", "at least 1");
        assertUsageError(Cli.run(s, "-o", "xml"), "--output", "not yaml or json");
        assertUsageError(Cli.run("--server", "127.0.0.1"), "--server", "loopback");
        assertUsageError(Cli.run("--server", "localhost"), "--server", "loopback");
        assertUsageError(Cli.run(s, "--csi", "--storage-class", ""), "--storage-class", "--csi needs a class name");
        assertUsageError(Cli.run(s, "--csi", "--on-delete", "wipe"), "--on-delete", "delete, retain, archive");
    }

    @Test
    void aLoopbackOnlyHostIsAnErrorUnlessForcedAndThenSaysSo() {
        ManifestCommand loOnly = new ManifestCommand(() -> List.of(Cli.piInterfaces().get(0)));
        assertUsageError(Cli.run(loOnly), "--server", "no non-loopback address");
        Cli forced = Cli.run(new ManifestCommand(() -> List.of(Cli.piInterfaces().get(0))), "--allow-loopback");
        assertThat(forced.exit).isZero();
        assertThat(forced.out).contains("server: 127.0.0.1");
        assertThat(forced.err).contains("forced with --allow-loopback");
        assertThat(Cli.run("--server", "127.0.0.1", "--allow-loopback").exit).isZero();
    }

    @Test
    void picocliParseErrorsAlsoNameTheFlag() {
        Cli r = Cli.run("--count", "many");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("--count");
        Cli l = Cli.run("--label", "novalue");
        assertThat(l.exit).isEqualTo(2);
        assertThat(l.err).contains("--label");
    }

    @Test
    void helpListsEveryFlagAndTheExamples() {
        Cli r = Cli.run("--help");
        assertThat(r.exit).isZero();
        for (String flag : new String[] {"--server", "--allow-loopback", "--path", "--name", "--size", "--access-mode",
            "--claim", "--namespace", "--storage-class", "--reclaim-policy", "--mount-option", "--volume-mode",
            "--label", "--count", "--subdir", "--csi", "--output", "check", "migrate"}) {
            assertThat(r.out).contains(flag);
        }
        assertThat(r.out).contains("edge-nfsd manifest --name pv001 --size 5Gi --claim pv-claim | kubectl apply -f -");
        assertThat(Cli.run("check", "--help").out).contains("--default-class").contains("file:document:path");
    }

    @Test
    void twoServersEachGetACsiStorageClassOfTheirOwnAndTheirClaimsAreProvisionedOnTheirOwnServer() throws Exception {
        Cli pi1 = Cli.run("--csi", "--server", "192.168.1.10", "--storage-class", "edge-nfs-pi1", "--claim", "app-a",
                "--size", "5Gi", "--subdir");
        Cli pi2 = Cli.run("--csi", "--server", "192.168.1.11", "--storage-class", "edge-nfs-pi2", "--claim", "app-b",
                "--size", "5Gi", "--subdir");
        assertThat(pi1.exit).as(pi1.err).isZero();
        assertThat(pi2.exit).as(pi2.err).isZero();
        String both = pi1.out + "---\n" + pi2.out;
        List<HasMetadata> objs = KubernetesSchema.validateYaml(both);
        assertThat(objs).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactly(
                "StorageClass/edge-nfs-pi1", "PersistentVolumeClaim/app-a",
                "StorageClass/edge-nfs-pi2", "PersistentVolumeClaim/app-b");
        String[] servers = {"192.168.1.10", "192.168.1.11"};
        for (int i = 0; i < 2; i++) {
            StorageClass sc = (StorageClass) objs.get(2 * i);
            assertThat(sc.getProvisioner()).isEqualTo("nfs.csi.k8s.io");
            assertThat(sc.getParameters()).containsEntry("server", servers[i]).containsEntry("share", "/var/nfs-k8s")
                    .containsEntry("subDir", "${pvc.metadata.namespace}-${pvc.metadata.name}");
            assertThat(sc.getMountOptions()).containsExactlyInAnyOrder("nfsvers=4.1", "hard");
            assertThat(sc.getReclaimPolicy()).isEqualTo("Retain");
            assertThat(sc.getVolumeBindingMode()).isEqualTo("Immediate");
            PersistentVolumeClaim pvc = (PersistentVolumeClaim) objs.get(2 * i + 1);
            assertThat(pvc.getSpec().getStorageClassName()).isEqualTo(sc.getMetadata().getName());
        }
        ManifestChecker.Report report = check(both, "local-path");
        assertThat(report.diagnostics).isEmpty();
        assertThat(report.exitCode()).isZero();
        assertThat(report.outcomes).extracting(o -> o.claim.name + " " + o.status + " " + o.summary).containsExactly(
                "app-a PROVISIONED_NFS PROVISIONED dynamically by StorageClass edge-nfs-pi1 (nfs.csi.k8s.io):"
                        + " a new subdirectory of the NFS share",
                "app-b PROVISIONED_NFS PROVISIONED dynamically by StorageClass edge-nfs-pi2 (nfs.csi.k8s.io):"
                        + " a new subdirectory of the NFS share");
    }
}
