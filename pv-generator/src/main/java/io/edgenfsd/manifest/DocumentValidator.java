package io.edgenfsd.manifest;

import io.edgenfsd.manifest.Diagnostic.Severity;
import io.edgenfsd.manifest.Resources.Claim;
import io.edgenfsd.manifest.Resources.Origin;
import io.edgenfsd.manifest.Resources.Requirement;
import io.edgenfsd.manifest.Resources.Selector;
import io.edgenfsd.manifest.Resources.StorageClass;
import io.edgenfsd.manifest.Resources.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks PV, PVC, StorageClass (and, with {@link JobValidator}, Job) documents against the rules the API server applies (required fields, types,
 * quantities, names, access modes, absolute nfs.path, unknown fields as kubectl's strict validation rejects
 * them) and collects what binding needs.
 */
final class DocumentValidator {

    static final Set<String> VOLUME_SOURCES = Set.of("awsElasticBlockStore", "azureDisk", "azureFile", "cephfs",
            "cinder", "csi", "fc", "flexVolume", "flocker", "gcePersistentDisk", "glusterfs", "hostPath", "iscsi",
            "local", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos",
            "vsphereVolume");
    private static final Set<String> PV_SPEC = Set.of("accessModes", "capacity", "claimRef", "mountOptions",
            "nodeAffinity", "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode",
            "volumeAttributesClassName");
    private static final Set<String> PVC_SPEC = Set.of("accessModes", "dataSource", "dataSourceRef", "resources",
            "selector", "storageClassName", "volumeMode", "volumeName", "volumeAttributesClassName");
    private static final Set<String> METADATA = Set.of("name", "generateName", "namespace", "labels", "annotations",
            "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
            "deletionGracePeriodSeconds", "finalizers", "ownerReferences", "managedFields", "selfLink");
    private static final Set<String> OBJECT_REFERENCE = Set.of("apiVersion", "kind", "name", "namespace", "uid",
            "resourceVersion", "fieldPath");
    private static final Set<String> SC_FIELDS = Set.of("apiVersion", "kind", "metadata", "provisioner",
            "parameters", "reclaimPolicy", "mountOptions", "allowVolumeExpansion", "volumeBindingMode",
            "allowedTopologies");

    /** The StorageClass parameters csi-driver-nfs documents (docs/driver-parameters.md). */
    static final Set<String> CSI_PARAMETERS = Set.of("server", "share", "subDir", "mountPermissions", "uid", "gid",
            "onDelete");

    final List<Diagnostic> diagnostics = new ArrayList<>();
    final List<Volume> volumes = new ArrayList<>();
    final List<Claim> claims = new ArrayList<>();
    final List<StorageClass> classes = new ArrayList<>();
    /** Claims that Jobs in the checked documents mount. */
    final List<Resources.ClaimUse> claimUses = new ArrayList<>();

    private Origin origin;

    private void add(Severity s, String path, YNode node, String message) {
        diagnostics.add(new Diagnostic(s, origin.at(path), node == null ? 0 : node.line, message));
    }

    void error(String path, YNode node, String message) {
        add(Severity.ERROR, path, node, message);
    }

    void warn(String path, YNode node, String message) {
        add(Severity.WARNING, path, node, message);
    }

    void note(String path, YNode node, String message) {
        add(Severity.NOTE, path, node, message);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Validates one document (a List is expanded into its items). */
    void validate(YNode doc, Origin origin) {
        this.origin = origin;
        validate(doc, "");
    }

    private void validate(YNode doc, String path) {
        if (doc.kind != YNode.Kind.MAP) {
            error(path, doc, "a Kubernetes object must be a mapping, got " + doc.describe());
            return;
        }
        String apiVersion = string(doc, path, "apiVersion", true);
        String kind = string(doc, path, "kind", true);
        if (apiVersion == null || kind == null) {
            return;
        }
        switch (kind) {
            case "List":
                checkKnown(doc, path, Set.of("apiVersion", "kind", "metadata", "items"));
                YNode items = doc.get("items");
                if (items == null || items.kind != YNode.Kind.SEQ) {
                    error(join(path, "items"), items == null ? doc : items, "a List needs an items list");
                    return;
                }
                for (int i = 0; i < items.seq().size(); i++) {
                    validate(items.seq().get(i), join(path, "items") + "[" + i + "]");
                }
                return;
            case "PersistentVolume":
                expectVersion(doc, path, apiVersion, "v1");
                persistentVolume(doc, path);
                return;
            case "PersistentVolumeClaim":
                expectVersion(doc, path, apiVersion, "v1");
                persistentVolumeClaim(doc, path);
                return;
            case "StorageClass":
                expectVersion(doc, path, apiVersion, "storage.k8s.io/v1");
                storageClass(doc, path);
                return;
            case "Job":
                expectVersion(doc, path, apiVersion, "batch/v1");
                new JobValidator(this, origin).job(doc, path);
                return;
            default:
                note(join(path, "kind"), doc.get("kind"), kind + " is not a storage object; not checked");
        }
    }

    private void expectVersion(YNode doc, String path, String got, String want) {
        if (!got.equals(want)) {
            error(join(path, "apiVersion"), doc.get("apiVersion"), "apiVersion of " + doc.get("kind").text()
                    + " must be " + want + ", got " + got);
        }
    }

    // ---- typed accessors -------------------------------------------------------------------------------

    String string(YNode map, String path, String key, boolean required) {
        YNode n = map.get(key);
        String p = join(path, key);
        if (n == null || n.isNull()) {
            if (required) {
                error(p, map, "Required value: " + key + " is missing");
            }
            return null;
        }
        if (!n.isString()) {
            error(p, n, "expected a string, got " + n.describe()
                    + (n.kind == YNode.Kind.SCALAR ? "; quote it" : ""));
            return null;
        }
        return n.text();
    }

    YNode mapping(YNode map, String path, String key, boolean required) {
        YNode n = map.get(key);
        String p = join(path, key);
        if (n == null || n.isNull()) {
            if (required) {
                error(p, map, "Required value: " + key + " is missing");
            }
            return null;
        }
        if (n.kind != YNode.Kind.MAP) {
            error(p, n, "expected a mapping, got " + n.describe());
            return null;
        }
        return n;
    }

    List<String> stringList(YNode map, String path, String key) {
        YNode n = map.get(key);
        String p = join(path, key);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.kind != YNode.Kind.SEQ) {
            error(p, n, "expected a list, got " + n.describe());
            return out;
        }
        for (int i = 0; i < n.seq().size(); i++) {
            YNode item = n.seq().get(i);
            if (!item.isString()) {
                error(p + "[" + i + "]", item, "expected a string, got " + item.describe());
            } else {
                out.add(item.text());
            }
        }
        return out;
    }

    Map<String, String> stringMap(YNode map, String path, String key) {
        YNode n = mapping(map, path, key, false);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        for (Map.Entry<String, YNode> e : n.map().entrySet()) {
            String p = join(join(path, key), e.getKey());
            if (!e.getValue().isString()) {
                error(p, e.getValue(), "expected a string, got " + e.getValue().describe()
                        + (e.getValue().kind == YNode.Kind.SCALAR ? "; quote it" : ""));
            } else {
                out.put(e.getKey(), e.getValue().text());
            }
        }
        return out;
    }

    void checkKnown(YNode map, String path, Set<String> known) {
        for (Map.Entry<String, YNode> e : map.map().entrySet()) {
            if (!known.contains(e.getKey())) {
                error(join(path, e.getKey()), e.getValue(), "unknown field \"" + e.getKey() + "\""
                        + " (kubectl apply rejects it with strict field validation)");
            }
        }
    }

    private Quantity quantity(YNode node, String path, String what) {
        if (node.kind != YNode.Kind.SCALAR
                || node.type() == YNode.Type.BOOL || node.type() == YNode.Type.NULL) {
            error(path, node, what + " must be a quantity such as 5Gi, got " + node.describe());
            return null;
        }
        try {
            Quantity q = Quantity.parse(node.text());
            if (q.ceilValue().signum() <= 0) {
                error(path, node, what + " must be greater than zero, got " + node.text());
                return null;
            }
            return q;
        } catch (Quantity.InvalidQuantityException e) {
            error(path, node, e.getMessage());
            return null;
        }
    }

    private void decimalUnitWarning(Quantity q, String path, YNode node, String what) {
        if (q.format() != Quantity.Format.BINARY_SI && q.value().compareTo(java.math.BigDecimal.valueOf(1000)) >= 0) {
            warn(path, node, what + " " + node.text() + " is a decimal (SI) quantity: " + q.describeBytes()
                    + ". It is smaller than the binary unit of the same number (e.g. 5G < 5Gi), so a claim asking"
                    + " in Gi will not fit; use Ki/Mi/Gi/Ti on both sides");
        }
    }

    Map<String, String> metadata(YNode doc, String path, boolean namespaced, String kind) {
        String p = join(path, "metadata");
        YNode md = mapping(doc, path, "metadata", true);
        Map<String, String> result = new LinkedHashMap<>();
        if (md == null) {
            return result;
        }
        checkKnown(md, p, METADATA);
        String name = string(md, p, "name", md.get("generateName") == null);
        if (name != null) {
            String why = Names.checkSubdomain(name);
            if (why != null) {
                error(join(p, "name"), md.get("name"), "Invalid value \"" + name + "\": " + why);
            }
            result.put("name", name);
        }
        String ns = string(md, p, "namespace", false);
        if (ns != null) {
            if (!namespaced) {
                warn(join(p, "namespace"), md.get("namespace"), "namespace \"" + ns + "\" on a " + kind
                        + " is meaningless: " + kind + "s are cluster-scoped, so the namespace is dropped and binds"
                        + " nothing. Put the claim's namespace in spec.claimRef.namespace instead");
            } else {
                String why = Names.checkLabel(ns);
                if (why != null) {
                    error(join(p, "namespace"), md.get("namespace"), "Invalid value \"" + ns + "\": " + why);
                }
                result.put("namespace", ns);
            }
        }
        Map<String, String> labels = stringMap(md, p, "labels");
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String lp = join(join(p, "labels"), e.getKey());
            String why = Names.checkLabelKey(e.getKey());
            if (why != null) {
                error(lp, md.get("labels"), "Invalid label key \"" + e.getKey() + "\": " + why);
            }
            why = Names.checkLabelValue(e.getValue());
            if (why != null) {
                error(lp, md.get("labels"), "Invalid label value \"" + e.getValue() + "\": " + why);
            }
            result.put("label:" + e.getKey(), e.getValue());
        }
        Map<String, String> annotations = stringMap(md, p, "annotations");
        annotations.forEach((k, v) -> result.put("annotation:" + k, v));
        return result;
    }

    private static Map<String, String> prefixed(Map<String, String> md, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        md.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private List<String> accessModes(YNode spec, String path, boolean required) {
        String p = join(path, "accessModes");
        List<String> modes = stringList(spec, path, "accessModes");
        YNode n = spec.get("accessModes");
        if (modes.isEmpty() && (n == null || n.kind != YNode.Kind.SEQ || n.seq().isEmpty())) {
            if (required) {
                error(p, n == null ? spec : n, "Required value: at least 1 access mode is required");
            }
            return modes;
        }
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < modes.size(); i++) {
            String m = modes.get(i);
            if (AccessMode.fromApiName(m) == null) {
                error(p + "[" + i + "]", n.seq().get(i), "Unsupported value: \"" + m + "\": supported values:"
                        + " \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""
                        + (AccessModeShort.is(m) ? " (the short name " + m + " is only what kubectl prints)" : ""));
            } else {
                valid.add(m);
            }
        }
        if (valid.contains("ReadWriteOncePod") && valid.size() > 1) {
            error(p, n, "may not use ReadWriteOncePod with other access modes");
        }
        return valid;
    }

    /** Short names are not accepted by the API. */
    private static final class AccessModeShort {
        static boolean is(String s) {
            return Set.of("RWO", "ROX", "RWX", "RWOP").contains(s);
        }
    }

    private String volumeMode(YNode spec, String path) {
        String vm = string(spec, path, "volumeMode", false);
        if (vm == null) {
            return "Filesystem";
        }
        if (!vm.equals("Filesystem") && !vm.equals("Block")) {
            error(join(path, "volumeMode"), spec.get("volumeMode"), "Unsupported value: \"" + vm
                    + "\": supported values: \"Block\", \"Filesystem\"");
            return "Filesystem";
        }
        return vm;
    }

    private String storageClassName(YNode spec, String path) {
        String cls = string(spec, path, "storageClassName", false);
        if (cls != null && !cls.isEmpty()) {
            String why = Names.checkSubdomain(cls);
            if (why != null) {
                error(join(path, "storageClassName"), spec.get("storageClassName"),
                        "Invalid value \"" + cls + "\": " + why);
            }
        }
        return cls;
    }

    private void mountOptions(YNode owner, String path) {
        List<String> opts = stringList(owner, path, "mountOptions");
        for (MountOptions.Finding f : MountOptions.check(opts)) {
            int idx = opts.indexOf(f.option);
            String p = join(path, "mountOptions") + (idx >= 0 ? "[" + idx + "]" : "");
            YNode list = owner.get("mountOptions");
            YNode at = idx >= 0 && idx < list.seq().size() ? list.seq().get(idx) : list;
            warn(p, at, f.toString()
                    + (f.fatal ? " — pods using this volume will fail to mount it" : ""));
        }
    }

    // ---- kinds -----------------------------------------------------------------------------------------

    private void persistentVolume(YNode doc, String path) {
        checkKnown(doc, path, Set.of("apiVersion", "kind", "metadata", "spec", "status"));
        Volume v = new Volume();
        v.origin = origin;
        Map<String, String> md = metadata(doc, path, false, "PersistentVolume");
        v.name = md.get("name");
        v.labels = prefixed(md, "label:");
        String sp = join(path, "spec");
        YNode spec = mapping(doc, path, "spec", true);
        if (spec == null) {
            return;
        }
        for (Map.Entry<String, YNode> e : spec.map().entrySet()) {
            if (!PV_SPEC.contains(e.getKey()) && !VOLUME_SOURCES.contains(e.getKey())) {
                error(join(sp, e.getKey()), e.getValue(), "unknown field \"" + e.getKey() + "\""
                        + " (kubectl apply rejects it with strict field validation)");
            }
        }
        YNode cap = mapping(spec, sp, "capacity", true);
        if (cap != null) {
            String cp = join(sp, "capacity");
            YNode storage = cap.get("storage");
            if (storage == null) {
                error(join(cp, "storage"), cap, "Required value: capacity.storage is missing");
            } else {
                v.capacity = quantity(storage, join(cp, "storage"), "capacity.storage");
                if (v.capacity != null) {
                    decimalUnitWarning(v.capacity, join(cp, "storage"), storage, "capacity");
                }
            }
            for (String k : cap.map().keySet()) {
                if (!k.equals("storage")) {
                    error(join(cp, k), cap.get(k), "Unsupported value: \"" + k + "\": supported values: \"storage\"");
                }
            }
        }
        v.accessModes.addAll(accessModes(spec, sp, true));
        v.volumeMode = volumeMode(spec, sp);
        String cls = storageClassName(spec, sp);
        v.storageClass = cls == null ? "" : cls;
        String policy = string(spec, sp, "persistentVolumeReclaimPolicy", false);
        if (policy != null) {
            String pp = join(sp, "persistentVolumeReclaimPolicy");
            YNode pn = spec.get("persistentVolumeReclaimPolicy");
            switch (policy) {
                case "Recycle":
                    warn(pp, pn, ManifestGenerator.RECYCLE_MESSAGE);
                    break;
                case "Delete":
                    if (spec.get("nfs") != null) {
                        warn(pp, pn, "Delete on a static NFS volume: no plugin can delete it, so when its claim"
                                + " is deleted the PV turns Failed and the data stays; use Retain");
                    }
                    break;
                case "Retain":
                    break;
                default:
                    error(pp, pn, "Unsupported value: \"" + policy + "\": supported values: \"Delete\", \"Recycle\","
                            + " \"Retain\"");
            }
            v.reclaimPolicy = policy;
        } else {
            note(sp, spec, "persistentVolumeReclaimPolicy not set: the API server defaults it to Retain");
        }
        mountOptions(spec, sp);
        List<String> sources = new ArrayList<>();
        for (String k : spec.map().keySet()) {
            if (VOLUME_SOURCES.contains(k)) {
                sources.add(k);
            }
        }
        if (sources.isEmpty()) {
            error(sp, spec, "must specify a volume type (for edge-nfsd: nfs with server and path)");
        } else if (sources.size() > 1) {
            error(sp, spec, "may not specify more than 1 volume type, got " + String.join(", ", sources));
        } else {
            v.source = sources.get(0);
        }
        YNode nfs = mapping(spec, sp, "nfs", false);
        if (nfs != null) {
            String np = join(sp, "nfs");
            checkKnown(nfs, np, Set.of("server", "path", "readOnly"));
            v.nfsServer = string(nfs, np, "server", true);
            v.nfsPath = string(nfs, np, "path", true);
            if (v.nfsServer != null && v.nfsServer.isEmpty()) {
                error(join(np, "server"), nfs.get("server"), "Required value: server must not be empty");
            }
            if (v.nfsPath != null && !v.nfsPath.startsWith("/")) {
                error(join(np, "path"), nfs.get("path"), "Invalid value \"" + v.nfsPath
                        + "\": must be an absolute path");
            }
            YNode ro = nfs.get("readOnly");
            if (ro != null && ro.type() != YNode.Type.BOOL) {
                error(join(np, "readOnly"), ro, "expected a boolean, got " + ro.describe());
            }
            if ("Block".equals(v.volumeMode)) {
                warn(join(sp, "volumeMode"), spec.get("volumeMode"), "NFS exports a file system; pods cannot use"
                        + " it as a Block volume");
            }
        }
        YNode csi = mapping(spec, sp, "csi", false);
        if (csi != null) {
            v.csiDriver = string(csi, join(sp, "csi"), "driver", true);
        }
        YNode ref = mapping(spec, sp, "claimRef", false);
        if (ref != null) {
            String rp = join(sp, "claimRef");
            checkKnown(ref, rp, OBJECT_REFERENCE);
            v.hasClaimRef = true;
            v.claimRefName = string(ref, rp, "name", true);
            v.claimRefNamespace = string(ref, rp, "namespace", false);
            if (v.claimRefNamespace == null) {
                warn(join(rp, "namespace"), ref, "claimRef has no namespace, so it matches no claim (every claim"
                        + " has one) and reserves this volume for nothing; add namespace");
            }
        }
        volumes.add(v);
    }

    private void persistentVolumeClaim(YNode doc, String path) {
        checkKnown(doc, path, Set.of("apiVersion", "kind", "metadata", "spec", "status"));
        Claim c = new Claim();
        c.origin = origin;
        Map<String, String> md = metadata(doc, path, true, "PersistentVolumeClaim");
        c.name = md.get("name");
        c.namespace = md.getOrDefault("namespace", "default");
        c.namespaceGiven = md.containsKey("namespace");
        String sp = join(path, "spec");
        YNode spec = mapping(doc, path, "spec", true);
        if (spec == null) {
            return;
        }
        checkKnown(spec, sp, PVC_SPEC);
        c.accessModes.addAll(accessModes(spec, sp, true));
        c.volumeMode = volumeMode(spec, sp);
        c.storageClass = storageClassName(spec, sp);
        String beta = md.get("annotation:volume.beta.kubernetes.io/storage-class");
        if (c.storageClass == null && beta != null) {
            c.storageClass = beta;
        }
        c.volumeName = string(spec, sp, "volumeName", false);
        if (c.volumeName != null && c.volumeName.isEmpty()) {
            c.volumeName = null;
        }
        YNode res = mapping(spec, sp, "resources", true);
        if (res != null) {
            String rp = join(sp, "resources");
            checkKnown(res, rp, Set.of("requests", "limits"));
            YNode req = mapping(res, rp, "requests", true);
            if (req != null) {
                YNode storage = req.get("storage");
                String qp = join(join(rp, "requests"), "storage");
                if (storage == null) {
                    error(qp, req, "Required value: resources.requests.storage is missing");
                } else {
                    c.request = quantity(storage, qp, "requests.storage");
                }
            }
        }
        YNode sel = mapping(spec, sp, "selector", false);
        if (sel != null) {
            String selp = join(sp, "selector");
            checkKnown(sel, selp, Set.of("matchLabels", "matchExpressions"));
            Selector s = new Selector();
            s.matchLabels.putAll(stringMap(sel, selp, "matchLabels"));
            YNode exprs = sel.get("matchExpressions");
            if (exprs != null && exprs.kind == YNode.Kind.SEQ) {
                for (int i = 0; i < exprs.seq().size(); i++) {
                    YNode e = exprs.seq().get(i);
                    String ep = join(selp, "matchExpressions") + "[" + i + "]";
                    if (e.kind != YNode.Kind.MAP) {
                        error(ep, e, "expected a mapping, got " + e.describe());
                        continue;
                    }
                    checkKnown(e, ep, Set.of("key", "operator", "values"));
                    Requirement r = new Requirement();
                    r.key = string(e, ep, "key", true);
                    r.operator = string(e, ep, "operator", true);
                    r.values.addAll(stringList(e, ep, "values"));
                    if (r.operator != null && !Set.of("In", "NotIn", "Exists", "DoesNotExist").contains(r.operator)) {
                        error(join(ep, "operator"), e.get("operator"), "not a valid selector operator: " + r.operator);
                    } else if (r.key != null && r.operator != null) {
                        s.expressions.add(r);
                    }
                }
            }
            c.selector = s;
        }
        claims.add(c);
    }

    private void storageClass(YNode doc, String path) {
        checkKnown(doc, path, SC_FIELDS);
        StorageClass sc = new StorageClass();
        sc.origin = origin;
        Map<String, String> md = metadata(doc, path, false, "StorageClass");
        sc.name = md.get("name");
        sc.isDefault = "true".equals(md.get("annotation:storageclass.kubernetes.io/is-default-class"));
        sc.provisioner = string(doc, path, "provisioner", true);
        Map<String, String> params = stringMap(doc, path, "parameters");
        String policy = string(doc, path, "reclaimPolicy", false);
        if (policy != null && !policy.equals("Delete") && !policy.equals("Retain")) {
            error(join(path, "reclaimPolicy"), doc.get("reclaimPolicy"), "Unsupported value: \"" + policy
                    + "\": supported values: \"Delete\", \"Retain\"");
        }
        String mode = string(doc, path, "volumeBindingMode", false);
        if (mode != null) {
            if (!mode.equals("Immediate") && !mode.equals("WaitForFirstConsumer")) {
                error(join(path, "volumeBindingMode"), doc.get("volumeBindingMode"), "Unsupported value: \""
                        + mode + "\": supported values: \"Immediate\", \"WaitForFirstConsumer\"");
            } else {
                sc.bindingMode = mode;
            }
        }
        mountOptions(doc, path);
        if (ManifestGenerator.CSI_DRIVER.equals(sc.provisioner)) {
            String pp = join(path, "parameters");
            for (String k : params.keySet()) {
                if (!CSI_PARAMETERS.contains(k)
                        && !k.startsWith("csi.storage.k8s.io/")) {
                    warn(join(pp, k), doc.get("parameters"), "csi-driver-nfs does not know parameter \"" + k + "\"");
                }
            }
            if (!params.containsKey("server")) {
                error(join(pp, "server"), doc, "Required value: csi-driver-nfs needs parameters.server");
            }
            if (!params.containsKey("share")) {
                error(join(pp, "share"), doc, "Required value: csi-driver-nfs needs parameters.share");
            } else if (!params.get("share").startsWith("/")) {
                error(join(pp, "share"), doc.get("parameters"), "share must be an absolute path");
            }
            String onDelete = params.get("onDelete");
            if (onDelete != null && !Set.of("delete", "retain", "archive").contains(onDelete)) {
                error(join(pp, "onDelete"), doc.get("parameters"), "onDelete must be delete, retain or archive");
            }
        }
        classes.add(sc);
    }
}
