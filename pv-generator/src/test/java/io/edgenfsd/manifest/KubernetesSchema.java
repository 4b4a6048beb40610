package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Validates documents against the Kubernetes API types of fabric8's kubernetes-model (generated from the
 * Kubernetes OpenAPI spec): every field must be known to the model at its place (fabric8 keeps unknown fields
 * in additionalProperties, which we require to be empty everywhere), every scalar must have the model's type
 * (no coercion), the document must survive a round trip through the model unchanged, and the fields the
 * OpenAPI spec marks required must be present.
 */
final class KubernetesSchema {
    private KubernetesSchema() {
    }

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /** Validates every document of a YAML stream; returns the typed objects. */
    static List<HasMetadata> validateYaml(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            out.add(validate(MAPPER.valueToTree(doc)));
        }
        return out;
    }

    /** Validates JSON output (one object or a v1 List). */
    static List<HasMetadata> validateJson(String json) throws Exception {
        JsonNode root = MAPPER.readTree(json);
        List<HasMetadata> out = new ArrayList<>();
        if ("List".equals(root.path("kind").asString())) {
            assertThat(root.path("apiVersion").asString()).isEqualTo("v1");
            for (JsonNode item : root.path("items")) {
                out.add(validate(item));
            }
        } else {
            out.add(validate(root));
        }
        return out;
    }

    static HasMetadata validate(JsonNode tree) {
        String kind = tree.path("kind").asString();
        Class<? extends HasMetadata> type;
        switch (kind) {
            case "PersistentVolume": type = PersistentVolume.class; break;
            case "PersistentVolumeClaim": type = PersistentVolumeClaim.class; break;
            case "StorageClass": type = StorageClass.class; break;
            case "Job": type = Job.class; break;
            default: throw new AssertionError("unexpected kind " + kind);
        }
        HasMetadata obj;
        try {
            obj = MAPPER.treeToValue(tree, type);
        } catch (Exception e) {
            throw new AssertionError(kind + " does not fit the Kubernetes API model: " + e.getMessage(), e);
        }
        assertNoUnknownFields(obj, kind);
        JsonNode back = MAPPER.valueToTree(obj);
        // numbers compare by value: the model reads runAsUser as a long, the YAML gives an int
        assertThat(back.equals(NUMBERS_BY_VALUE, tree)).as(kind + " round trip through the Kubernetes model: "
                + back + " against " + tree).isTrue();
        assertThat(obj.getApiVersion()).isEqualTo(type == StorageClass.class ? "storage.k8s.io/v1"
                : type == Job.class ? "batch/v1" : "v1");
        assertThat(obj.getMetadata().getName()).as("metadata.name").isNotBlank();
        if (obj instanceof PersistentVolume) {
            PersistentVolume pv = (PersistentVolume) obj;
            if (pv.getSpec().getNfs() != null) {
                assertThat(pv.getSpec().getNfs().getServer()).as("nfs.server (required)").isNotNull();
                assertThat(pv.getSpec().getNfs().getPath()).as("nfs.path (required)").isNotNull();
            }
        }
        if (obj instanceof Job) {
            assertJobRequiredFields((Job) obj);
        }
        if (obj instanceof StorageClass) {
            assertThat(((StorageClass) obj).getProvisioner()).as("provisioner (required)").isNotNull();
        }
        return obj;
    }

    /** What the OpenAPI spec marks required in a Job, and what Job validation adds (restartPolicy). */
    private static void assertJobRequiredFields(Job job) {
        assertThat(job.getSpec()).as("Job spec").isNotNull();
        assertThat(job.getSpec().getTemplate()).as("spec.template (required)").isNotNull();
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod).as("spec.template.spec").isNotNull();
        assertThat(pod.getRestartPolicy()).as("a Job's restartPolicy").isIn("Never", "OnFailure");
        assertThat(pod.getContainers()).as("containers (required)").isNotEmpty();
        for (var c : pod.getContainers()) {
            assertThat(c.getName()).as("container name (required)").isNotBlank();
            assertThat(c.getImage()).as("container image").isNotBlank();
            for (VolumeMount m : c.getVolumeMounts()) {
                assertThat(m.getName()).as("volumeMount name (required)").isNotBlank();
                assertThat(m.getMountPath()).as("volumeMount mountPath (required)").isNotBlank();
                assertThat(pod.getVolumes()).as("the volume a mount names").extracting(Volume::getName)
                        .contains(m.getName());
            }
        }
        for (Volume v : pod.getVolumes()) {
            assertThat(v.getName()).as("volume name (required)").isNotBlank();
            if (v.getPersistentVolumeClaim() != null) {
                assertThat(v.getPersistentVolumeClaim().getClaimName()).as("claimName (required)").isNotBlank();
            }
        }
        if (job.getSpec().getPodFailurePolicy() != null) {
            assertThat(pod.getRestartPolicy()).as("podFailurePolicy needs restartPolicy").isEqualTo("Never");
            job.getSpec().getPodFailurePolicy().getRules().forEach(r -> assertThat(r.getAction())
                    .as("podFailurePolicy rule action (required)").isNotBlank());
        }
    }

    private static void assertNoUnknownFields(Object o, String path) {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            if (o instanceof Collection) {
                int i = 0;
                for (Object x : (Collection<?>) o) {
                    assertNoUnknownFields(x, path + "[" + i++ + "]");
                }
            } else if (o instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                    assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
                }
            }
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) v).as("fields unknown to the Kubernetes API at " + path).isNullOrEmpty();
            } else if (v != null && v != o) {
                assertNoUnknownFields(v, path + "." + m.getName().substring(3));
            }
        }
    }
}
