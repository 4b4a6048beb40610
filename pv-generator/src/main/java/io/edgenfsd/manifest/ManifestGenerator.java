package io.edgenfsd.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds PV/PVC pairs (or a csi-driver-nfs StorageClass and PVCs) that bind by construction. */
public final class ManifestGenerator {

    public static final String CSI_DRIVER = "nfs.csi.k8s.io";
    public static final String DEFAULT_CSI_CLASS = "edge-nfs";
    /** The warning the API server itself returns for a PV with the Recycle policy. */
    public static final String RECYCLE_MESSAGE = "The Recycle reclaim policy is deprecated. Instead, the recommended"
            + " approach is to use dynamic provisioning.";
    public static final String RECYCLE_WARNING = "spec.persistentVolumeReclaimPolicy: " + RECYCLE_MESSAGE;

    /** The documents, or the errors (each naming its flag) that stopped them, plus warnings. */
    public static final class Result {
        public final List<Map<String, Object>> documents = new ArrayList<>();
        public final List<String> errors = new ArrayList<>();
        public final List<String> warnings = new ArrayList<>();
        /** Directories (one per PV) to create on the export when --subdir is given. */
        public final List<String> subdirectories = new ArrayList<>();

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private static final Pattern TRAILING_NUMBER = Pattern.compile("(.*?)([0-9]+)");

    private ManifestGenerator() {
    }

    /** The i-th (0-based) name of a series of {@code count}: pv001 -> pv001, pv002...; data -> data-1, data-2... */
    public static String seriesName(String base, int i, int count) {
        if (count == 1) {
            return base;
        }
        Matcher m = TRAILING_NUMBER.matcher(base);
        if (m.matches()) {
            String digits = m.group(2);
            long n = Long.parseLong(digits) + i;
            return m.group(1) + String.format("%0" + digits.length() + "d", n);
        }
        return base + "-" + (i + 1);
    }

    public static Result generate(ManifestOptions o) {
        Result r = new Result();
        validate(o, r);
        if (!r.ok()) {
            return r;
        }
        List<String> modes = new ArrayList<>();
        for (AccessMode m : new LinkedHashSet<>(o.accessModes)) {
            modes.add(m.apiName());
        }
        String claimBase = o.claim != null ? o.claim : o.name + "-claim";
        if (o.csi) {
            String cls = o.storageClass == null ? DEFAULT_CSI_CLASS : o.storageClass;
            r.documents.add(storageClass(o, cls));
            for (int i = 0; i < o.count; i++) {
                r.documents.add(claim(o, seriesName(claimBase, i, o.count), cls, modes, null));
            }
            return r;
        }
        String cls = o.storageClass == null ? "" : o.storageClass;
        for (int i = 0; i < o.count; i++) {
            String pv = seriesName(o.name, i, o.count);
            String pvc = seriesName(claimBase, i, o.count);
            String dir = o.subdir ? joinPath(o.path, pv) : o.path;
            if (o.subdir) {
                r.subdirectories.add(dir);
            }
            r.documents.add(volume(o, pv, pvc, cls, modes, dir));
            r.documents.add(claim(o, pvc, cls, modes, pv));
        }
        return r;
    }

    static String joinPath(String base, String child) {
        return base.endsWith("/") ? base + child : base + "/" + child;
    }

    private static Map<String, Object> metadata(String name, String namespace, Map<String, String> labels) {
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("name", name);
        if (namespace != null) {
            md.put("namespace", namespace);
        }
        if (!labels.isEmpty()) {
            md.put("labels", new LinkedHashMap<>(labels));
        }
        return md;
    }

    private static Map<String, Object> volume(ManifestOptions o, String name, String claim, String cls,
                                              List<String> modes, String dir) {
        Map<String, Object> pv = new LinkedHashMap<>();
        pv.put("apiVersion", "v1");
        pv.put("kind", "PersistentVolume");
        pv.put("metadata", metadata(name, null, o.labels));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("capacity", Map.of("storage", o.size.toString()));
        spec.put("volumeMode", o.volumeMode);
        spec.put("accessModes", new ArrayList<>(modes));
        spec.put("persistentVolumeReclaimPolicy", o.reclaimPolicy);
        spec.put("storageClassName", cls);
        spec.put("mountOptions", new ArrayList<>(o.mountOptions));
        Map<String, Object> nfs = new LinkedHashMap<>();
        nfs.put("server", o.server);
        nfs.put("path", dir);
        spec.put("nfs", nfs);
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("name", claim);
        ref.put("namespace", o.namespace);
        spec.put("claimRef", ref);
        pv.put("spec", spec);
        return pv;
    }

    private static Map<String, Object> claim(ManifestOptions o, String name, String cls, List<String> modes,
                                             String volumeName) {
        Map<String, Object> pvc = new LinkedHashMap<>();
        pvc.put("apiVersion", "v1");
        pvc.put("kind", "PersistentVolumeClaim");
        pvc.put("metadata", metadata(name, o.namespace, o.labels));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("storageClassName", cls);
        spec.put("volumeMode", o.volumeMode);
        spec.put("accessModes", new ArrayList<>(modes));
        spec.put("resources", Map.of("requests", Map.of("storage", o.size.toString())));
        if (volumeName != null) {
            spec.put("volumeName", volumeName);
        }
        pvc.put("spec", spec);
        return pvc;
    }

    private static Map<String, Object> storageClass(ManifestOptions o, String cls) {
        Map<String, Object> sc = new LinkedHashMap<>();
        sc.put("apiVersion", "storage.k8s.io/v1");
        sc.put("kind", "StorageClass");
        sc.put("metadata", metadata(cls, null, o.labels));
        sc.put("provisioner", CSI_DRIVER);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("server", o.server);
        params.put("share", o.path);
        if (o.subdir) {
            params.put("subDir", "${pvc.metadata.namespace}-${pvc.metadata.name}");
        }
        params.put("mountPermissions", o.mountPermissions);
        params.put("onDelete", o.onDelete);
        sc.put("parameters", params);
        sc.put("reclaimPolicy", o.reclaimPolicy);
        sc.put("volumeBindingMode", "Immediate");
        sc.put("mountOptions", new ArrayList<>(o.mountOptions));
        return sc;
    }

    private static void validate(ManifestOptions o, Result r) {
        if (o.server == null || o.server.isEmpty()) {
            r.errors.add("--server: no server address");
        }
        if (o.path == null || !o.path.startsWith("/")) {
            r.errors.add("--path: '" + o.path + "' must be an absolute path (the NFS client mounts server:/path)");
        } else if (("/" + o.path + "/").contains("/../") || ("/" + o.path + "/").contains("/./")) {
            r.errors.add("--path: '" + o.path + "' must not contain '.' or '..' components");
        }
        if (o.count < 1) {
            r.errors.add("--count: must be at least 1, got " + o.count);
            return;
        }
        if (o.count > 1000) {
            r.errors.add("--count: at most 1000 pairs at once, got " + o.count);
            return;
        }
        String claimBase = o.claim != null ? o.claim : o.name + "-claim";
        for (int i = 0; i < o.count; i++) {
            String pv = seriesName(o.name, i, o.count);
            String why = Names.checkSubdomain(pv);
            if (why != null && !o.csi) {
                r.errors.add("--name: '" + pv + "' is not a valid PersistentVolume name: " + why);
                break;
            }
        }
        for (int i = 0; i < o.count; i++) {
            String pvc = seriesName(claimBase, i, o.count);
            String why = Names.checkSubdomain(pvc);
            if (why != null) {
                r.errors.add("--claim: '" + pvc + "' is not a valid PersistentVolumeClaim name: " + why);
                break;
            }
        }
        String why = Names.checkLabel(o.namespace);
        if (why != null) {
            r.errors.add("--namespace: '" + o.namespace + "' is not a valid namespace: " + why);
        }
        if (o.size.ceilValue().signum() <= 0) {
            r.errors.add("--size: " + o.size + " must be greater than zero");
        } else {
            if (!o.size.isWhole()) {
                r.warnings.add("--size: " + o.size + " is not a whole number of bytes; Kubernetes compares sizes"
                        + " rounded up to whole bytes");
            }
            if (o.size.format() != Quantity.Format.BINARY_SI) {
                r.warnings.add("--size: " + o.size + " is a decimal quantity (" + o.size.describeBytes()
                        + "); a claim asking for the binary unit of the same number (e.g. Gi) is larger and will"
                        + " not fit. Prefer Ki/Mi/Gi/Ti");
            }
        }
        if (o.accessModes.isEmpty()) {
            r.errors.add("--access-mode: at least one access mode is required");
        } else if (o.accessModes.contains(AccessMode.RWOP) && new LinkedHashSet<>(o.accessModes).size() > 1) {
            r.errors.add("--access-mode: may not use ReadWriteOncePod with other access modes");
        }
        if (o.storageClass != null && !o.storageClass.isEmpty()) {
            why = Names.checkSubdomain(o.storageClass);
            if (why != null) {
                r.errors.add("--storage-class: '" + o.storageClass + "' is not a valid StorageClass name: " + why);
            }
        } else if (o.csi && o.storageClass != null) {
            r.errors.add("--storage-class: --csi needs a class name for the StorageClass it emits, not \"\"");
        }
        switch (o.reclaimPolicy) {
            case "Retain":
                break;
            case "Recycle":
                if (o.csi) {
                    r.errors.add("--reclaim-policy: a StorageClass supports only Retain or Delete, not Recycle");
                } else {
                    r.warnings.add(RECYCLE_WARNING);
                }
                break;
            case "Delete":
                if (!o.csi) {
                    r.errors.add("--reclaim-policy: Delete is refused for a static NFS volume: no provisioner owns"
                            + " it, so when its claim is deleted the PV turns Failed (no deletable volume plugin"
                            + " matched) and the data stays behind. Use Retain, or --csi for dynamic provisioning"
                            + " where Delete removes the volume's directory");
                }
                break;
            default:
                r.errors.add("--reclaim-policy: '" + o.reclaimPolicy + "' is not one of Retain, Recycle, Delete"
                        + " (case-sensitive)");
        }
        for (MountOptions.Finding f : MountOptions.check(o.mountOptions)) {
            (f.fatal ? r.errors : r.warnings).add("--mount-option: " + f);
        }
        if (o.volumeMode.equals("Block")) {
            r.errors.add("--volume-mode: NFS exports a file system; volumeMode Block cannot be used with NFS");
        } else if (!o.volumeMode.equals("Filesystem")) {
            r.errors.add("--volume-mode: '" + o.volumeMode + "' is not one of Filesystem, Block (case-sensitive)");
        }
        r.errors.addAll(Names.labelFlagErrors(o.labels));
        if (o.csi) {
            if (!List.of("delete", "retain", "archive").contains(o.onDelete)) {
                r.errors.add("--on-delete: '" + o.onDelete + "' is not one of delete, retain, archive");
            }
            if (!o.mountPermissions.matches("0?[0-7]{1,4}")) {
                r.errors.add("--mount-permissions: '" + o.mountPermissions + "' is not an octal mode such as 0777");
            }
        } else if (o.count > 1 && !o.subdir) {
            r.warnings.add("--count: all " + o.count + " volumes point at the same directory " + o.path
                    + "; add --subdir to give each its own");
        }
    }
}
