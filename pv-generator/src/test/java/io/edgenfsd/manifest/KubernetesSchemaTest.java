package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The schema check used on generated output must itself reject what the API server rejects. */
class KubernetesSchemaTest {

    private static String doc(String specExtra, String labels) {
        return "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv001\n" + labels + "spec:\n"
                + "  capacity:\n    storage: 5Gi\n  accessModes:\n  - ReadWriteMany\n  nfs:\n    server: 10.0.0.1\n"
                + "    path: /var/nfs-k8s\n" + specExtra;
    }

    @Test
    void acceptsAWellFormedPersistentVolume() {
        assertThatCode(() -> KubernetesSchema.validateYaml(doc("", ""))).doesNotThrowAnyException();
    }

    @Test
    void rejectsAFieldTheKubernetesApiDoesNotHave() {
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(doc("  storageClass: slow\n", "")))
                .hasMessageContaining("fields unknown to the Kubernetes API");
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(doc("", "").replace("    path:", "    paht:")))
                .hasMessageContaining("fields unknown to the Kubernetes API");
    }

    @Test
    void rejectsAScalarOfTheWrongType() {
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(doc("", "  labels:\n    fast: true\n")))
                .hasMessageContaining("does not fit the Kubernetes API model");
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(doc("  mountOptions: hard\n", "")))
                .hasMessageContaining("does not fit the Kubernetes API model");
    }

    @Test
    void rejectsAnNfsSourceWithoutItsRequiredPath() {
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(doc("", "").replace("    path: /var/nfs-k8s\n", "")))
                .hasMessageContaining("nfs.path (required)");
    }

    private static final String JOB = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: copy\nspec:\n  template:\n"
            + "    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n"
            + "        volumeMounts:\n        - name: data\n          mountPath: /data\n      volumes:\n      - name: data\n"
            + "        persistentVolumeClaim:\n          claimName: pv-claim\n";

    @Test
    void acceptsAWellFormedJob() {
        assertThatCode(() -> KubernetesSchema.validateYaml(JOB)).doesNotThrowAnyException();
    }

    @Test
    void rejectsAJobWithAnUnknownFieldARestartPolicyJobsRefuseOrAMountOfNoVolume() {
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(JOB.replace("claimName:", "claim:")))
                .hasMessageContaining("fields unknown to the Kubernetes API");
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(JOB.replace("restartPolicy: Never", "restartPolicy: Always")))
                .hasMessageContaining("a Job's restartPolicy");
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(JOB.replace("- name: data\n          mountPath",
                "- name: other\n          mountPath"))).hasMessageContaining("the volume a mount names");
        assertThatThrownBy(() -> KubernetesSchema.validateYaml(JOB.replace("image: busybox", "image: 5")))
                .hasMessageContaining("does not fit the Kubernetes API model");
    }
}
