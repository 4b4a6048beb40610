package io.edgenfsd.manifest;

import io.edgenfsd.manifest.Resources.ClaimUse;
import io.edgenfsd.manifest.Resources.Origin;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a batch/v1 Job (such as the migration Job) as the API server and kubectl's strict field validation
 * would: known fields at every level of the Job, its pod template, containers, security contexts, volume
 * mounts and volumes; required fields; value types; the rules the Job controller adds (restartPolicy Never or
 * OnFailure; a pod failure policy only with Never). Volume sources other than persistentVolumeClaim are
 * checked by name only. The claims the pods mount are recorded for the binding report.
 */
final class JobValidator {
    private static final Set<String> JOB_SPEC = Set.of("activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex",
            "completionMode", "completions", "managedBy", "manualSelector", "maxFailedIndexes", "parallelism",
            "podFailurePolicy", "podReplacementPolicy", "selector", "successPolicy", "suspend", "template",
            "ttlSecondsAfterFinished");
    private static final Set<String> POD_SPEC = Set.of("activeDeadlineSeconds", "affinity",
            "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy", "enableServiceLinks",
            "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers", "hostname",
            "imagePullSecrets", "initContainers", "nodeName", "nodeSelector", "os", "overhead", "preemptionPolicy",
            "priority", "priorityClassName", "readinessGates", "resourceClaims", "resources", "restartPolicy",
            "runtimeClassName", "schedulerName", "schedulingGates", "securityContext", "serviceAccount",
            "serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace", "subdomain",
            "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints", "volumes");
    private static final Set<String> CONTAINER = Set.of("args", "command", "env", "envFrom", "image",
            "imagePullPolicy", "lifecycle", "livenessProbe", "name", "ports", "readinessProbe", "resizePolicy",
            "resources", "restartPolicy", "securityContext", "startupProbe", "stdin", "stdinOnce",
            "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts", "workingDir");
    private static final Set<String> CONTAINER_SECURITY = Set.of("allowPrivilegeEscalation", "appArmorProfile",
            "capabilities", "privileged", "procMount", "readOnlyRootFilesystem", "runAsGroup", "runAsNonRoot",
            "runAsUser", "seLinuxOptions", "seccompProfile", "windowsOptions");
    private static final Set<String> POD_SECURITY = Set.of("appArmorProfile", "fsGroup", "fsGroupChangePolicy",
            "runAsGroup", "runAsNonRoot", "runAsUser", "seLinuxChangePolicy", "seLinuxOptions", "seccompProfile",
            "supplementalGroups", "supplementalGroupsPolicy", "sysctls", "windowsOptions");
    private static final Set<String> VOLUME_MOUNT = Set.of("mountPath", "mountPropagation", "name", "readOnly",
            "recursiveReadOnly", "subPath", "subPathExpr");
    private static final Set<String> POD_VOLUME_SOURCES = Set.of("awsElasticBlockStore", "azureDisk", "azureFile",
            "cephfs", "cinder", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "fc", "flexVolume",
            "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "hostPath", "image", "iscsi", "nfs",
            "persistentVolumeClaim", "photonPersistentDisk", "portworxVolume", "projected", "quobyte", "rbd",
            "scaleIO", "secret", "storageos", "vsphereVolume");
    private static final Set<String> CAPABILITY_NAMES = Set.of("ALL", "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE",
            "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE",
            "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID",
            "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE",
            "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM");

    private final DocumentValidator v;
    private final Origin origin;

    JobValidator(DocumentValidator v, Origin origin) {
        this.v = v;
        this.origin = origin;
    }

    private static String join(String path, String key) {
        return DocumentValidator.join(path, key);
    }

    private Integer integer(YNode map, String path, String key, long min) {
        YNode n = map.get(key);
        return n == null || n.isNull() ? null : integer(n, join(path, key), min);
    }

    private Integer integer(YNode n, String p, long min) {
        if (n.kind != YNode.Kind.SCALAR || n.type() != YNode.Type.INT) {
            v.error(p, n, "expected an integer, got " + n.describe());
            return null;
        }
        long value;
        try {
            value = Long.decode(n.text().replace("_", ""));
        } catch (NumberFormatException e) {
            v.error(p, n, "expected an integer, got " + n.text());
            return null;
        }
        if (value < min || value > Integer.MAX_VALUE) {
            v.error(p, n, "Invalid value: " + value + ": must be greater than or equal to " + min);
            return null;
        }
        return (int) value;
    }

    private Boolean bool(YNode map, String path, String key) {
        YNode n = map.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.kind != YNode.Kind.SCALAR || n.type() != YNode.Type.BOOL) {
            v.error(join(path, key), n, "expected a boolean, got " + n.describe());
            return null;
        }
        return n.text().toLowerCase(java.util.Locale.ROOT).matches("y|yes|true|on");
    }

    private List<YNode> list(YNode map, String path, String key) {
        YNode n = map.get(key);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.kind != YNode.Kind.SEQ) {
            v.error(join(path, key), n, "expected a list, got " + n.describe());
            return List.of();
        }
        return n.seq();
    }

    private YNode item(YNode n, String path) {
        if (n.kind != YNode.Kind.MAP) {
            v.error(path, n, "expected a mapping, got " + n.describe());
            return null;
        }
        return n;
    }

    void job(YNode doc, String path) {
        v.checkKnown(doc, path, Set.of("apiVersion", "kind", "metadata", "spec", "status"));
        Map<String, String> md = v.metadata(doc, path, true, "Job");
        String name = md.get("name");
        String namespace = md.getOrDefault("namespace", "default");
        if (name != null && name.length() > 63) {
            v.error(join(join(path, "metadata"), "name"), doc.get("metadata").get("name"), "Invalid value \"" + name
                    + "\": must be no more than 63 characters (a Job's name goes into its pods' job-name label)");
        }
        String sp = join(path, "spec");
        YNode spec = v.mapping(doc, path, "spec", true);
        if (spec == null) {
            return;
        }
        v.checkKnown(spec, sp, JOB_SPEC);
        for (String k : List.of("backoffLimit", "completions", "parallelism", "ttlSecondsAfterFinished")) {
            integer(spec, sp, k, 0);
        }
        integer(spec, sp, "activeDeadlineSeconds", 1);
        bool(spec, sp, "suspend");
        String tp = join(sp, "template");
        YNode template = v.mapping(spec, sp, "template", true);
        if (template == null) {
            return;
        }
        v.checkKnown(template, tp, Set.of("metadata", "spec"));
        if (template.get("metadata") != null) {
            templateMetadata(template, tp);
        }
        String pp = join(tp, "spec");
        YNode pod = v.mapping(template, tp, "spec", true);
        if (pod == null) {
            return;
        }
        String restart = podSpec(pod, pp, name, namespace);
        YNode policy = v.mapping(spec, sp, "podFailurePolicy", false);
        if (policy != null) {
            podFailurePolicy(policy, join(sp, "podFailurePolicy"), restart);
        }
    }

    private void templateMetadata(YNode template, String path) {
        YNode md = v.mapping(template, path, "metadata", false);
        if (md == null) {
            return;
        }
        String p = join(path, "metadata");
        v.checkKnown(md, p, Set.of("name", "generateName", "namespace", "labels", "annotations", "finalizers",
                "ownerReferences"));
        Map<String, String> labels = v.stringMap(md, p, "labels");
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String why = Names.checkLabelKey(e.getKey());
            if (why == null) {
                why = Names.checkLabelValue(e.getValue());
            }
            if (why != null) {
                v.error(join(join(p, "labels"), e.getKey()), md.get("labels"), "Invalid label: " + why);
            }
        }
        v.stringMap(md, p, "annotations");
    }

    /** Returns the restart policy as written (null when missing). */
    private String podSpec(YNode pod, String path, String job, String namespace) {
        v.checkKnown(pod, path, POD_SPEC);
        String restart = v.string(pod, path, "restartPolicy", false);
        String rp = join(path, "restartPolicy");
        if (restart == null) {
            v.error(rp, pod, "Required value: a Job's pods need restartPolicy Never or OnFailure (the pod default,"
                    + " Always, is refused for Jobs)");
        } else if (!restart.equals("Never") && !restart.equals("OnFailure")) {
            v.error(rp, pod.get("restartPolicy"), "Unsupported value: \"" + restart + "\": supported values:"
                    + " \"OnFailure\", \"Never\"");
        }
        YNode psc = v.mapping(pod, path, "securityContext", false);
        if (psc != null) {
            securityContext(psc, join(path, "securityContext"), POD_SECURITY);
        }
        Set<String> volumeNames = volumes(pod, path, job, namespace);
        List<YNode> containers = list(pod, path, "containers");
        String cp = join(path, "containers");
        if (containers.isEmpty()) {
            v.error(cp, pod.get("containers") == null ? pod : pod.get("containers"),
                    "Required value: at least one container");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            YNode c = item(containers.get(i), cp + "[" + i + "]");
            if (c != null) {
                container(c, cp + "[" + i + "]", names, volumeNames);
            }
        }
        return restart;
    }

    private Set<String> volumes(YNode pod, String path, String job, String namespace) {
        Set<String> names = new HashSet<>();
        List<YNode> volumes = list(pod, path, "volumes");
        for (int i = 0; i < volumes.size(); i++) {
            String vp = join(path, "volumes") + "[" + i + "]";
            YNode vol = item(volumes.get(i), vp);
            if (vol == null) {
                continue;
            }
            String name = dnsLabel(vol, vp, "name", names, "volume");
            int sources = 0;
            for (String k : vol.map().keySet()) {
                if (k.equals("name")) {
                    continue;
                }
                if (POD_VOLUME_SOURCES.contains(k)) {
                    sources++;
                } else {
                    v.error(join(vp, k), vol.get(k), "unknown field \"" + k + "\" (kubectl apply rejects it with"
                            + " strict field validation)");
                }
            }
            if (sources == 0) {
                v.error(vp, vol, "must specify a volume type");
            } else if (sources > 1) {
                v.error(vp, vol, "may not specify more than 1 volume type");
            }
            YNode pvc = v.mapping(vol, vp, "persistentVolumeClaim", false);
            if (pvc != null) {
                String pp = join(vp, "persistentVolumeClaim");
                v.checkKnown(pvc, pp, Set.of("claimName", "readOnly"));
                String claim = v.string(pvc, pp, "claimName", true);
                Boolean ro = bool(pvc, pp, "readOnly");
                if (claim != null) {
                    String why = Names.checkSubdomain(claim);
                    if (why != null) {
                        v.error(join(pp, "claimName"), pvc.get("claimName"), "Invalid value \"" + claim + "\": " + why);
                    } else {
                        ClaimUse use = new ClaimUse();
                        use.origin = origin;
                        use.job = job;
                        use.namespace = namespace;
                        use.claim = claim;
                        use.readOnly = Boolean.TRUE.equals(ro);
                        v.claimUses.add(use);
                    }
                }
            }
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** A required RFC 1123 label, unique among {@code seen}; returns it or null. */
    private String dnsLabel(YNode map, String path, String key, Set<String> seen, String what) {
        String name = v.string(map, path, key, true);
        if (name == null) {
            return null;
        }
        String why = Names.checkLabel(name);
        if (why != null) {
            v.error(join(path, key), map.get(key), "Invalid value \"" + name + "\": " + why);
            return null;
        }
        if (seen.contains(name)) {
            v.error(join(path, key), map.get(key), "Duplicate value: \"" + name + "\": two " + what + "s of one name");
            return null;
        }
        return name;
    }

    private void container(YNode c, String path, Set<String> names, Set<String> volumeNames) {
        v.checkKnown(c, path, CONTAINER);
        String name = dnsLabel(c, path, "name", names, "container");
        if (name != null) {
            names.add(name);
        }
        String image = v.string(c, path, "image", true);
        if (image != null && image.isBlank()) {
            v.error(join(path, "image"), c.get("image"), "Required value: a Job's container needs an image");
        }
        v.stringList(c, path, "command");
        v.stringList(c, path, "args");
        YNode sc = v.mapping(c, path, "securityContext", false);
        if (sc != null) {
            securityContext(sc, join(path, "securityContext"), CONTAINER_SECURITY);
        }
        Set<String> paths = new HashSet<>();
        List<YNode> mounts = list(c, path, "volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
            String mp = join(path, "volumeMounts") + "[" + i + "]";
            YNode m = item(mounts.get(i), mp);
            if (m == null) {
                continue;
            }
            v.checkKnown(m, mp, VOLUME_MOUNT);
            String vol = v.string(m, mp, "name", true);
            if (vol != null && !volumeNames.contains(vol)) {
                v.error(join(mp, "name"), m.get("name"), "Not found: \"" + vol + "\": no volume of that name in the"
                        + " pod's volumes");
            }
            String at = v.string(m, mp, "mountPath", true);
            if (at != null) {
                if (at.isEmpty()) {
                    v.error(join(mp, "mountPath"), m.get("mountPath"), "Required value: mountPath is empty");
                } else if (!paths.add(at)) {
                    v.error(join(mp, "mountPath"), m.get("mountPath"), "Invalid value \"" + at + "\": must be unique");
                }
            }
            bool(m, mp, "readOnly");
        }
    }

    private void securityContext(YNode sc, String path, Set<String> known) {
        v.checkKnown(sc, path, known);
        integer(sc, path, "runAsUser", 0);
        integer(sc, path, "runAsGroup", 0);
        integer(sc, path, "fsGroup", 0);
        for (String k : List.of("allowPrivilegeEscalation", "privileged", "readOnlyRootFilesystem")) {
            bool(sc, path, k);
        }
        Boolean nonRoot = bool(sc, path, "runAsNonRoot");
        YNode user = sc.get("runAsUser");
        if (Boolean.TRUE.equals(nonRoot) && user != null && "0".equals(user.text())) {
            v.error(join(path, "runAsNonRoot"), sc.get("runAsNonRoot"), "runAsNonRoot true with runAsUser 0: the"
                    + " kubelet refuses to start the container");
        }
        YNode seccomp = v.mapping(sc, path, "seccompProfile", false);
        if (seccomp != null) {
            String sp = join(path, "seccompProfile");
            v.checkKnown(seccomp, sp, Set.of("type", "localhostProfile"));
            String type = v.string(seccomp, sp, "type", true);
            if (type != null && !Set.of("RuntimeDefault", "Unconfined", "Localhost").contains(type)) {
                v.error(join(sp, "type"), seccomp.get("type"), "Unsupported value: \"" + type + "\": supported"
                        + " values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"");
            }
        }
        YNode caps = v.mapping(sc, path, "capabilities", false);
        if (caps != null) {
            String cp = join(path, "capabilities");
            v.checkKnown(caps, cp, Set.of("add", "drop"));
            for (String k : List.of("add", "drop")) {
                List<String> names = v.stringList(caps, cp, k);
                for (int i = 0; i < names.size(); i++) {
                    String cap = names.get(i).startsWith("CAP_") ? names.get(i).substring(4) : names.get(i);
                    if (!CAPABILITY_NAMES.contains(cap)) {
                        v.warn(join(cp, k) + "[" + i + "]", caps.get(k), "\"" + names.get(i) + "\" is not a Linux"
                                + " capability; the container runtime refuses to start the container");
                    }
                }
            }
        }
    }

    private void podFailurePolicy(YNode policy, String path, String restart) {
        v.checkKnown(policy, path, Set.of("rules"));
        if (restart != null && !restart.equals("Never")) {
            v.error(path, policy, "Invalid value: a pod failure policy needs the template's restartPolicy Never");
        }
        List<YNode> rules = list(policy, path, "rules");
        for (int i = 0; i < rules.size(); i++) {
            String rp = join(path, "rules") + "[" + i + "]";
            YNode r = item(rules.get(i), rp);
            if (r == null) {
                continue;
            }
            v.checkKnown(r, rp, Set.of("action", "onExitCodes", "onPodConditions"));
            String action = v.string(r, rp, "action", true);
            if (action != null && !Set.of("Count", "FailIndex", "FailJob", "Ignore").contains(action)) {
                v.error(join(rp, "action"), r.get("action"), "Unsupported value: \"" + action + "\": supported"
                        + " values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"");
            }
            YNode codes = v.mapping(r, rp, "onExitCodes", false);
            boolean conditions = r.get("onPodConditions") != null;
            if ((codes == null) == !conditions) {
                v.error(rp, r, "specify exactly one of onExitCodes and onPodConditions");
            }
            if (codes != null) {
                String ep = join(rp, "onExitCodes");
                v.checkKnown(codes, ep, Set.of("containerName", "operator", "values"));
                v.string(codes, ep, "containerName", false);
                String op = v.string(codes, ep, "operator", true);
                if (op != null && !op.equals("In") && !op.equals("NotIn")) {
                    v.error(join(ep, "operator"), codes.get("operator"), "Unsupported value: \"" + op
                            + "\": supported values: \"In\", \"NotIn\"");
                }
                List<YNode> values = list(codes, ep, "values");
                if (values.isEmpty()) {
                    v.error(join(ep, "values"), codes, "Required value: at least one exit code");
                }
                for (int j = 0; j < values.size(); j++) {
                    integer(values.get(j), join(ep, "values") + "[" + j + "]", 0);
                }
            }
        }
    }
}
