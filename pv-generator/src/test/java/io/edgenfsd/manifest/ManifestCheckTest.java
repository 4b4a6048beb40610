package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgenfsd.manifest.BindingSimulator.Status;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCheckTest {

    static String tutorial() throws Exception {
        try (InputStream in = ManifestCheckTest.class.getResourceAsStream("/fixtures/tutorial.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ManifestChecker.Report check(String yaml, String defaultClass) throws Exception {
        return ManifestChecker.check(List.of(new ManifestChecker.Source("t.yaml", new StringReader(yaml))),
                defaultClass);
    }

    static String text(ManifestChecker.Report r) {
        StringWriter sw = new StringWriter();
        r.print(new PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void theTutorialBindsOnlyThroughClaimRefAndTheCheckExplainsK3sClassInjectionAndFlagsRecycle5gAndNamespace()
            throws Exception {
        ManifestChecker.Report r = check(tutorial(), "local-path");
        String out = text(r);
        assertThat(out).contains("t.yaml:1:metadata.namespace (line 6): warning: namespace \"default\" on a"
                + " PersistentVolume is meaningless");
        assertThat(out).contains("t.yaml:1:spec.capacity.storage (line 9): warning: capacity 5G is a decimal");
        assertThat(out).contains("t.yaml:1:spec.persistentVolumeReclaimPolicy (line 12): warning: The Recycle"
                + " reclaim policy is deprecated");
        assertThat(r.outcomes).singleElement().satisfies(o -> {
            assertThat(o.status).isEqualTo(Status.BOUND_NFS);
            assertThat(o.classInjected).isTrue();
            assertThat(o.effectiveClass).isEqualTo("local-path");
            assertThat(o.summary).contains("claimRef pre-binds it");
        });
        assertThat(out).contains("sets it to the cluster default \"local-path\"")
                .contains("bound only through the claimRef shortcut, which skips the class check")
                .contains("a node-local volume instead of NFS");
        assertThat(r.count(Diagnostic.Severity.ERROR)).isZero();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void withoutTheClaimRefTheTutorialClaimFallsToLocalPathAndTheCheckFails() throws Exception {
        String noRef = tutorial().replace("  claimRef:\n    name: pv-claim\n    namespace: default\n", "");
        ManifestChecker.Report r = check(noRef, "local-path");
        assertThat(r.outcomes.get(0).status).isEqualTo(Status.PROVISIONED_OTHER);
        assertThat(r.outcomes.get(0).summary).contains("NOT NFS").contains("local-path");
        assertThat(text(r)).contains("PV pv001 (t.yaml:1): class \"slow\" but the claim's is \"local-path\""
                + " (injected by admission)");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void aClaimRefInAnotherNamespaceReservesTheVolumeForNobodyHere() throws Exception {
        String ns = tutorial().replace("  claimRef:\n    name: pv-claim\n    namespace: default\n",
                "  claimRef:\n    name: pv-claim\n    namespace: apps\n");
        ManifestChecker.Report r = check(ns, "local-path");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(text(r)).contains("reserved by its claimRef for claim apps/pv-claim (same name, but the claim is"
                + " in namespace default)").contains("which is not in the files checked");
    }

    @Test
    void volumeNameInsteadOfClaimRefStaysPendingBecauseTheInjectedClassDoesNotMatch() throws Exception {
        String vn = tutorial().replace("  claimRef:\n    name: pv-claim\n    namespace: default\n", "")
                .replace("      storage: 5G\n", "      storage: 5G\n  volumeName: pv001\n");
        ManifestChecker.Report r = check(vn, "local-path");
        assertThat(r.outcomes.get(0).status).isEqualTo(Status.PENDING);
        assertThat(r.outcomes.get(0).summary).contains("cannot bind to requested volume pv001: storageClassName"
                + " does not match: the claim's is \"local-path\" (injected by admission");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void aClaimFor5GiDoesNotFitA5GVolumeAndTheCheckSaysByHowManyBytes() throws Exception {
        String gi = tutorial().replace("      storage: 5G\n", "      storage: 5Gi\n");
        ManifestChecker.Report r = check(gi, "local-path");
        assertThat(r.outcomes.get(0).status).isEqualTo(Status.PROVISIONED_OTHER);
        assertThat(text(r)).contains("too small: claim asks for 5Gi (5,368,709,120 bytes")
                .contains("volume has 5G (5,000,000,000 bytes").contains("decimal and binary units differ");
    }

    @Test
    void withoutADefaultClassTheTutorialClaimKeepsAnEmptyClassAndStillBindsByClaimRef() throws Exception {
        ManifestChecker.Report r = check(tutorial(), "");
        assertThat(r.outcomes.get(0).classInjected).isFalse();
        assertThat(r.outcomes.get(0).status).isEqualTo(Status.BOUND_NFS);
        String noRef = tutorial().replace("  claimRef:\n    name: pv-claim\n    namespace: default\n", "");
        ManifestChecker.Report p = check(noRef, "");
        assertThat(p.outcomes.get(0).status).isEqualTo(Status.PENDING);
        assertThat(p.outcomes.get(0).summary).contains("class \"\" is never provisioned dynamically");
    }

    @Test
    void matchingPrefersTheFewestAccessModesThenTheSmallestVolume() throws Exception {
        String yaml = pv("big", "10Gi", "[ReadWriteOnce]") + "---\n" + pv("small", "2Gi", "[ReadWriteOnce]")
                + "---\n" + pv("rwx", "1Gi", "[ReadWriteOnce, ReadWriteMany]") + "---\n" + pv("tiny", "1Gi",
                "[ReadWriteMany, ReadWriteOnce, ReadOnlyMany]") + "---\n" + pvc("c1", "1Gi", "[ReadWriteOnce]")
                + "---\n" + pvc("c2", "1Gi", "[ReadWriteOnce]") + "---\n" + pvc("c3", "1Gi", "[ReadWriteOnce]")
                + "---\n" + pvc("c4", "1Gi", "[ReadWriteOnce]") + "---\n" + pvc("c5", "1Gi", "[ReadWriteOnce]");
        ManifestChecker.Report r = check(yaml, "local-path");
        assertThat(r.outcomes).extracting(o -> o.volume == null ? null : o.volume.name)
                .containsExactly("small", "big", "rwx", "tiny", null);
        assertThat(r.outcomes.get(4).summary).contains("PENDING");
        assertThat(text(r)).contains("already bound to claim default/c1");
    }

    @Test
    void aSelectorFiltersVolumesByLabelAndBlocksDynamicProvisioning() throws Exception {
        String yaml = pv("a", "1Gi", "[ReadWriteMany]").replace("metadata:\n  name: a\n",
                "metadata:\n  name: a\n  labels:\n    disk: ssd\n") + "---\n"
                + pvc("want-hdd", "1Gi", "[ReadWriteMany]") + "  selector:\n    matchLabels:\n      disk: hdd\n";
        yaml = yaml.replace("storageClassName: \"\"", "storageClassName: nfs");
        ManifestChecker.Report r = check(yaml, "");
        assertThat(r.outcomes.get(0).summary).contains("selector is not provisioned dynamically");
        assertThat(text(r)).contains("do not match the claim's selector disk=hdd");
    }

    static String pv(String name, String size, String modes) {
        return "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: " + name + "\nspec:\n  capacity:\n"
                + "    storage: " + size + "\n  accessModes: " + modes + "\n  storageClassName: \"\"\n"
                + "  nfs:\n    server: 10.0.0.1\n    path: /var/nfs-k8s/" + name + "\n";
    }

    static String pvc(String name, String size, String modes) {
        return "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: " + name + "\n  namespace: default\n"
                + "spec:\n  storageClassName: \"\"\n  accessModes: " + modes + "\n  resources:\n    requests:\n"
                + "      storage: " + size + "\n";
    }

    @Test
    void schemaErrorsAreReportedWithFileDocumentAndPath() throws Exception {
        String bad = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: Bad_Name\n  labels:\n    fast: yes\n"
                + "spec:\n  accessModes: [ReadWriteOncePod, ReadWriteMany, RWX]\n  capacity:\n    storage: 5gb\n"
                + "  storageClass: slow\n  nfs:\n    server: 10.0.0.1\n    path: var/nfs-k8s\n---\n"
                + "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: nocap\nspec:\n  accessModes: []\n"
                + "  hostPath:\n    path: /x\n  nfs:\n    server: a\n    path: /b\n---\n"
                + "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  accessModes: [ReadWriteOnce]\n"
                + "  resources:\n    requests:\n      storage: true\n";
        ManifestChecker.Report r = check(bad, "local-path");
        String out = text(r);
        assertThat(out).contains("t.yaml:1:metadata.name (line 4): error: Invalid value \"Bad_Name\"")
                .contains("t.yaml:1:metadata.labels.fast (line 6): error: expected a string, got boolean (yes); quote it")
                .contains("t.yaml:1:spec.accessModes[2] (line 8): error: Unsupported value: \"RWX\"")
                .contains("t.yaml:1:spec.accessModes (line 8): error: may not use ReadWriteOncePod with other access modes")
                .contains("t.yaml:1:spec.capacity.storage (line 10): error: invalid quantity \"5gb\"")
                .contains("t.yaml:1:spec.storageClass (line 11): error: unknown field \"storageClass\"")
                .contains("t.yaml:1:spec.nfs.path (line 14): error: Invalid value \"var/nfs-k8s\": must be an absolute path")
                .contains("t.yaml:2:spec.capacity (line 21): error: Required value: capacity is missing")
                .contains("t.yaml:2:spec.accessModes (line 21): error: Required value: at least 1 access mode is required")
                .contains("t.yaml:2:spec (line 21): error: may not specify more than 1 volume type, got hostPath, nfs")
                .contains("t.yaml:3:spec.resources.requests.storage (line 36): error: requests.storage must be a"
                        + " quantity such as 5Gi, got boolean (true)");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void yamlSyntaxErrorsAndUnreadableFilesAreReportedAndFailTheCheck(@TempDir Path dir) throws Exception {
        ManifestChecker.Report r = check("apiVersion: v1\nkind: [unclosed\n", "");
        assertThat(text(r)).contains("t.yaml:1: error: YAML syntax error");
        assertThat(r.exitCode()).isEqualTo(1);
        Cli missing = Cli.run("check", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("nope.yaml: no such file");
    }

    @Test
    void mountOptionsTheClientRejectsAreWarnedAboutAtTheirListIndex() throws Exception {
        String yaml = pv("m", "1Gi", "[ReadWriteMany]") + "  mountOptions: [hard, nfsvers=4.2, wsize]\n";
        String out = text(check(yaml, ""));
        assertThat(out).contains("t.yaml:1:spec.mountOptions[1] (line 13): warning: mount option 'nfsvers=4.2':"
                + " edge-nfsd serves NFSv4.1 only").contains("spec.mountOptions[2]").contains("needs a value");
    }

    @Test
    void theCheckSubcommandReadsFilesAndExitsNonZeroWhenAClaimDoesNotBindToNfs(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tutorial.yaml");
        Files.writeString(f, tutorial());
        Cli ok = Cli.run("check", f.toString());
        assertThat(ok.exit).isZero();
        assertThat(ok.out).contains("summary: 1 claim(s), 1 bound to NFS, 0 not");
        Path g = dir.resolve("noref.yaml");
        Files.writeString(g, tutorial().replace("  claimRef:\n    name: pv-claim\n    namespace: default\n", ""));
        Cli bad = Cli.run("check", g.toString());
        assertThat(bad.exit).isEqualTo(1);
        assertThat(bad.out).contains("NOT NFS");
    }

    /** A Job with the mistakes kubectl or the Job controller refuse, one per place. */
    private static final String BAD_JOB = String.join("\n",
            "apiVersion: batch/v1",
            "kind: Job",
            "metadata:",
            "  name: migrate-data",
            "  namespace: default",
            "spec:",
            "  backoffLimit: \"2\"",
            "  podFailurePolicy:",
            "    rules:",
            "    - action: Stop",
            "      onExitCodes:",
            "        operator: In",
            "        values: [3]",
            "  template:",
            "    spec:",
            "      restartPolicy: Always",
            "      containers:",
            "      - name: copy",
            "        image: debian:bookworm-slim",
            "        imagePullPolicy: IfNotPresent",
            "        volumeMount:",
            "        - name: from",
            "        securityContext:",
            "          runAsNonRoot: true",
            "          runAsUser: 0",
            "          capabilities:",
            "            add: [CHOWN, CHOWN_ALL]",
            "      - name: copy",
            "        volumeMounts:",
            "        - name: target",
            "          mountPath: /to",
            "      volumes:",
            "      - name: from",
            "        persistentVolumeClaim:",
            "          claimName: pv-claim",
            "          readonly: true",
            "      - name: scratch",
            "",
            "");

    @Test
    void aJobIsCheckedStrictlyAndEachMistakeIsReportedAtItsPath() throws Exception {
        ManifestChecker.Report r = check(BAD_JOB, "local-path");
        String out = text(r);
        String c = "t.yaml:1:spec.template.spec.containers";
        assertThat(out).contains("t.yaml:1:spec.backoffLimit (line 7): error: expected an integer, got string")
                .contains("t.yaml:1:spec.podFailurePolicy.rules[0].action (line 10): error: Unsupported value: \"Stop\"")
                .contains("t.yaml:1:spec.podFailurePolicy (line 9): error: Invalid value: a pod failure policy needs"
                        + " the template's restartPolicy Never")
                .contains("t.yaml:1:spec.template.spec.restartPolicy (line 16): error: Unsupported value: \"Always\"")
                .contains(c + "[0].volumeMount (line 22): error: unknown field \"volumeMount\"")
                .contains(c + "[0].securityContext.runAsNonRoot (line 24): error: runAsNonRoot true with runAsUser 0")
                .contains(c + "[0].securityContext.capabilities.add[1] (line 27): warning: \"CHOWN_ALL\" is not a"
                        + " Linux capability")
                .contains(c + "[1].name (line 28): error: Duplicate value: \"copy\"")
                .contains(c + "[1].image (line 28): error: Required value: image is missing")
                .contains(c + "[1].volumeMounts[0].name (line 30): error: Not found: \"target\"")
                .contains("t.yaml:1:spec.template.spec.volumes[0].persistentVolumeClaim.readonly (line 36): error:"
                        + " unknown field \"readonly\"")
                .contains("t.yaml:1:spec.template.spec.volumes[1] (line 37): error: must specify a volume type");
        assertThat(out).doesNotContain("imagePullPolicy");
        assertThat(r.exitCode()).isEqualTo(1);
    }

    @Test
    void aJobWithoutRestartPolicyIsAnErrorBecauseThePodDefaultAlwaysIsRefusedForJobs() throws Exception {
        String yaml = BAD_JOB.substring(0, BAD_JOB.indexOf("  podFailurePolicy:"))
                + "  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n";
        String out = text(check(yaml, ""));
        assertThat(out).contains("t.yaml:1:spec.template.spec.restartPolicy (line 10): error: Required value: a Job's pods need"
                + " restartPolicy Never or OnFailure");
    }

    @Test
    void twoDocumentsForOneStorageClassAreAnErrorNamingBothPlaces() throws Exception {
        Cli pi1 = Cli.run("--csi", "--server", "192.168.1.10", "--claim", "app-a");
        Cli pi2 = Cli.run("--csi", "--server", "192.168.1.11", "--claim", "app-b");
        ManifestChecker.Report r = ManifestChecker.check(List.of(
                new ManifestChecker.Source("pi1.yaml", new StringReader(pi1.out)),
                new ManifestChecker.Source("pi2.yaml", new StringReader(pi2.out))), "local-path");
        assertThat(text(r)).contains("pi2.yaml:1:metadata.name: error: StorageClass edge-nfs is also defined at"
                + " pi1.yaml:1; kubectl apply keeps only the last of the two; give each server its own class");
        assertThat(r.exitCode()).isEqualTo(1);
    }
}
