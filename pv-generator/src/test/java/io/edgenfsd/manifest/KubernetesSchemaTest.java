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
}
