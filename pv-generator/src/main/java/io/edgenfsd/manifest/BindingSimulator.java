package io.edgenfsd.manifest;

import io.edgenfsd.manifest.Resources.Claim;
import io.edgenfsd.manifest.Resources.StorageClass;
import io.edgenfsd.manifest.Resources.Volume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Simulates what happens to each claim on a cluster: admission's default-class injection, then the PV
 * controller's matching (pre-binding by claimRef or volumeName, capacity, access-mode sets with the fewest
 * modes first, volumeMode, selector, class, smallest volume), then dynamic provisioning.
 */
public final class BindingSimulator {

    public enum Status {
        /** Bound to an NFS volume (a PV with nfs, or csi-driver-nfs). */
        BOUND_NFS,
        /** Bound to a PV that is not NFS. */
        BOUND_OTHER,
        /** Provisioned by csi-driver-nfs through a StorageClass in the checked files. */
        PROVISIONED_NFS,
        /** Provisioned by some other provisioner, e.g. k3s local-path. */
        PROVISIONED_OTHER,
        /** Stays Pending. */
        PENDING;

        public boolean isNfs() {
            return this == BOUND_NFS || this == PROVISIONED_NFS;
        }
    }

    /** What happens to one claim, and why. */
    public static final class Outcome {
        public final Claim claim;
        public Status status;
        public Volume volume;
        public String effectiveClass;
        public boolean classInjected;
        public String summary;
        public final List<String> details = new ArrayList<>();
        public final List<String> warnings = new ArrayList<>();

        Outcome(Claim claim) {
            this.claim = claim;
        }
    }

    private final List<Volume> volumes;
    private final List<StorageClass> classes;
    private final String defaultClass;
    private final Map<Volume, Claim> boundTo = new IdentityHashMap<>();

    /**
     * @param defaultClass the cluster's default StorageClass ("local-path" on k3s), or "" for none
     */
    public BindingSimulator(List<Volume> volumes, List<StorageClass> classes, String defaultClass) {
        this.volumes = volumes;
        this.classes = classes;
        this.defaultClass = defaultClass == null ? "" : defaultClass;
    }

    public List<Outcome> run(List<Claim> claims) {
        List<Outcome> out = new ArrayList<>();
        for (Claim c : claims) {
            out.add(simulate(c));
        }
        return out;
    }

    private static boolean isBoundTo(Volume v, Claim c) {
        return v.hasClaimRef && c.name != null && c.name.equals(v.claimRefName)
                && c.namespace.equals(v.claimRefNamespace);
    }

    private StorageClass storageClass(String name) {
        for (StorageClass sc : classes) {
            if (name.equals(sc.name)) {
                return sc;
            }
        }
        return null;
    }

    private Outcome simulate(Claim c) {
        Outcome o = new Outcome(c);
        String cls = c.storageClass;
        if (cls == null) {
            if (!defaultClass.isEmpty()) {
                cls = defaultClass;
                o.classInjected = true;
                o.details.add("storageClassName is not set, so admission (DefaultStorageClass) sets it to the"
                        + " cluster default \"" + defaultClass + "\" when the claim is created"
                        + (defaultClass.equals("local-path") ? " (as k3s does)" : "")
                        + "; set storageClassName: \"\" (or the PV's class) to prevent that");
            } else {
                cls = "";
                o.details.add("storageClassName is not set and the cluster has no default class, so it stays \"\"");
            }
        }
        o.effectiveClass = cls;
        if (c.request == null || c.accessModes.isEmpty()) {
            o.status = Status.PENDING;
            o.summary = "INVALID: the API server rejects this claim (see the errors above)";
            return o;
        }
        if (c.volumeName != null) {
            return byVolumeName(o, c, cls);
        }
        Volume match = findBestMatch(c, cls);
        if (match != null) {
            boundTo.put(match, c);
            o.volume = match;
            o.status = match.isNfs() ? Status.BOUND_NFS : Status.BOUND_OTHER;
            if (isBoundTo(match, c)) {
                o.summary = "BOUND to PersistentVolume " + match.name + " (" + match.describe() + ") because the"
                        + " volume's claimRef pre-binds it to this claim";
                if (!match.storageClass.equals(cls)) {
                    o.warnings.add("bound only through the claimRef shortcut, which skips the class check: the claim's"
                            + " class is \"" + cls + "\"" + (o.classInjected ? " (injected by admission)" : "")
                            + " but the volume's is \"" + match.storageClass + "\". Change or remove the claimRef"
                            + " (another namespace, a renamed claim) and this claim"
                            + (cls.isEmpty() ? " stays Pending" : " goes to the \"" + cls + "\" class"
                            + (isDefault(cls) ? ", i.e. a node-local volume instead of NFS" : ""))
                            + ". Give the claim storageClassName \"" + match.storageClass + "\" and volumeName "
                            + match.name);
                }
                if (c.volumeName == null) {
                    o.warnings.add("one-way binding: the claim has no spec.volumeName; add volumeName: " + match.name
                            + " so both sides name each other");
                }
            } else {
                o.summary = "BOUND to PersistentVolume " + match.name + " (" + match.describe() + "), the smallest"
                        + " available volume that matches";
                o.warnings.add("not pre-bound: any other matching claim may take " + match.name + " first; set the"
                        + " PV's claimRef and the claim's volumeName");
            }
            if (!match.isNfs()) {
                o.warnings.add("the volume is not NFS (" + match.describe() + ")");
            }
            return o;
        }
        for (Volume v : volumes) {
            String why = whyNot(v, c, cls, o.classInjected);
            if (why != null) {
                o.details.add("PV " + v.name + " (" + v.origin + "): " + why);
            }
        }
        if (cls.isEmpty()) {
            o.status = Status.PENDING;
            o.summary = "PENDING: no PersistentVolume matches, and class \"\" is never provisioned dynamically";
            return o;
        }
        if (c.selector != null) {
            o.status = Status.PENDING;
            o.summary = "PENDING: no PersistentVolume matches, and a claim with a selector is not provisioned"
                    + " dynamically";
            return o;
        }
        StorageClass sc = storageClass(cls);
        if (sc != null && sc.provisioner != null) {
            boolean nfs = ManifestGenerator.CSI_DRIVER.equals(sc.provisioner);
            o.status = nfs ? Status.PROVISIONED_NFS : Status.PROVISIONED_OTHER;
            o.summary = "PROVISIONED dynamically by StorageClass " + cls + " (" + sc.provisioner + ")"
                    + (nfs ? ": a new subdirectory of the NFS share" : ", not an NFS volume of edge-nfsd")
                    + ("WaitForFirstConsumer".equals(sc.bindingMode) ? ", once a pod using the claim is scheduled" : "");
            return o;
        }
        if (isDefault(cls)) {
            o.status = Status.PROVISIONED_OTHER;
            o.summary = "NOT NFS: no PersistentVolume matches, so the default class \"" + cls + "\" provisions it"
                    + (cls.equals("local-path") ? ": a node-local hostPath directory created by k3s' local-path"
                    + " provisioner when a pod is scheduled, not the NFS volume" : " instead of the NFS volume");
            return o;
        }
        o.status = Status.PENDING;
        o.summary = "PENDING: no PersistentVolume matches, and StorageClass \"" + cls + "\" is neither in the"
                + " files checked nor the cluster default (--default-class), so nothing here provisions it";
        return o;
    }

    private boolean isDefault(String cls) {
        if (cls.equals(defaultClass)) {
            return true;
        }
        StorageClass sc = storageClass(cls);
        return sc != null && sc.isDefault;
    }

    private Outcome byVolumeName(Outcome o, Claim c, String cls) {
        Volume v = null;
        for (Volume x : volumes) {
            if (c.volumeName.equals(x.name)) {
                v = x;
            }
        }
        o.status = Status.PENDING;
        if (v == null) {
            o.summary = "PENDING: spec.volumeName asks for PersistentVolume " + c.volumeName + ", which is not in"
                    + " the files checked; a claim with volumeName waits for that volume and is never provisioned";
            return o;
        }
        Claim other = boundTo.get(v);
        if (other != null && other != c || v.hasClaimRef && !isBoundTo(v, c)) {
            o.summary = "PENDING: volume " + v.name + " is already bound to a different claim ("
                    + (other != null ? other.key() : v.claimRefNamespace + "/" + v.claimRefName) + ")";
            return o;
        }
        String mismatch = satisfies(v, c, cls, o.classInjected);
        if (mismatch != null) {
            o.summary = "PENDING: cannot bind to requested volume " + v.name + ": " + mismatch
                    + "; a claim with volumeName is never provisioned dynamically";
            return o;
        }
        boundTo.put(v, c);
        o.volume = v;
        o.status = v.isNfs() ? Status.BOUND_NFS : Status.BOUND_OTHER;
        o.summary = "BOUND to PersistentVolume " + v.name + " (" + v.describe() + ") named by spec.volumeName"
                + (isBoundTo(v, c) ? ", and the volume's claimRef names this claim (two-way binding)" : "");
        if (!v.hasClaimRef) {
            o.warnings.add("one-way binding: PV " + v.name + " has no claimRef; until the controller binds it,"
                    + " another claim may take it. Add claimRef {name: " + c.name + ", namespace: " + c.namespace + "}");
        }
        if (!v.isNfs()) {
            o.warnings.add("the volume is not NFS (" + v.describe() + ")");
        }
        return o;
    }

    /** The controller's check for a volume the claim asks for by name; null when it fits. */
    private String satisfies(Volume v, Claim c, String cls, boolean injected) {
        if (v.capacity == null) {
            return "the volume has no valid capacity";
        }
        if (v.capacity.ceilValue().compareTo(c.request.ceilValue()) < 0) {
            return "requested PV is too small: " + sizes(v, c);
        }
        if (!v.storageClass.equals(cls)) {
            return "storageClassName does not match: the claim's is \"" + cls + "\""
                    + (injected ? " (injected by admission because the claim sets none)" : "")
                    + ", the volume's is \"" + v.storageClass + "\"";
        }
        if (!v.volumeMode.equals(c.volumeMode)) {
            return "incompatible volumeMode: claim " + c.volumeMode + ", volume " + v.volumeMode;
        }
        if (!v.accessModes.containsAll(c.accessModes)) {
            return "incompatible accessMode: claim asks for " + c.accessModes + ", volume offers " + v.accessModes;
        }
        return null;
    }

    private static String sizes(Volume v, Claim c) {
        String s = "claim asks for " + c.request + " (" + c.request.describeBytes() + "), volume has " + v.capacity
                + " (" + v.capacity.describeBytes() + ")";
        if (v.capacity.format() != c.request.format()) {
            s += " — decimal and binary units differ (G = 10^9, Gi = 2^30)";
        }
        return s;
    }

    /** The PV index's search: access-mode sets with the fewest modes first, then the smallest match. */
    private Volume findBestMatch(Claim c, String cls) {
        List<Set<String>> modeSets = new ArrayList<>();
        for (Volume v : volumes) {
            Set<String> modes = new LinkedHashSet<>(v.accessModes);
            if (modes.containsAll(c.accessModes) && !modeSets.contains(modes)) {
                modeSets.add(modes);
            }
        }
        modeSets.sort((a, b) -> Integer.compare(a.size(), b.size()));
        for (Set<String> modes : modeSets) {
            Volume smallest = null;
            for (Volume v : volumes) {
                if (!new LinkedHashSet<>(v.accessModes).equals(modes) || v.capacity == null) {
                    continue;
                }
                Claim taken = boundTo.get(v);
                if (taken != null && taken != c) {
                    continue;
                }
                if (v.capacity.compareTo(c.request) < 0) {
                    continue;
                }
                if (!v.volumeMode.equals(c.volumeMode)) {
                    continue;
                }
                if (isBoundTo(v, c)) {
                    return v;
                }
                if (v.hasClaimRef) {
                    continue;
                }
                if (c.selector != null && !c.selector.matches(v.labels)) {
                    continue;
                }
                if (!v.storageClass.equals(cls)) {
                    continue;
                }
                if (smallest == null || smallest.capacity.compareTo(v.capacity) > 0) {
                    smallest = v;
                }
            }
            if (smallest != null) {
                return smallest;
            }
        }
        return null;
    }

    /** Why a volume does not match a claim, in the controller's order; null when it would (it did not). */
    private String whyNot(Volume v, Claim c, String cls, boolean injected) {
        if (v.capacity == null) {
            return "has no valid capacity";
        }
        if (!v.accessModes.containsAll(c.accessModes)) {
            return "access modes " + v.accessModes + " do not include all of the claim's " + c.accessModes;
        }
        Claim taken = boundTo.get(v);
        if (taken != null && taken != c) {
            return "already bound to claim " + taken.key();
        }
        if (v.capacity.compareTo(c.request) < 0) {
            return "too small: " + sizes(v, c);
        }
        if (!v.volumeMode.equals(c.volumeMode)) {
            return "volumeMode " + v.volumeMode + " but the claim wants " + c.volumeMode;
        }
        if (v.hasClaimRef && !isBoundTo(v, c)) {
            return "reserved by its claimRef for claim " + v.claimRefNamespace + "/" + v.claimRefName
                    + (c.name != null && c.name.equals(v.claimRefName) && !c.namespace.equals(v.claimRefNamespace)
                    ? " (same name, but the claim is in namespace " + c.namespace + ")" : "");
        }
        if (c.selector != null && !c.selector.matches(v.labels)) {
            return "labels " + v.labels + " do not match the claim's selector " + c.selector;
        }
        if (!v.storageClass.equals(cls)) {
            return "class \"" + v.storageClass + "\" but the claim's is \"" + cls + "\""
                    + (injected ? " (injected by admission)" : "");
        }
        return null;
    }

    /** For reports: volumes pre-bound to claims that are not in the checked files. */
    public List<String> orphanClaimRefs(List<Claim> claims) {
        Map<String, Claim> byKey = new HashMap<>();
        for (Claim c : claims) {
            byKey.put(c.key(), c);
        }
        List<String> out = new ArrayList<>();
        for (Volume v : volumes) {
            if (v.hasClaimRef && v.claimRefName != null && v.claimRefNamespace != null
                    && !byKey.containsKey(v.claimRefNamespace + "/" + v.claimRefName)) {
                out.add("PV " + v.name + " (" + v.origin + ") is reserved for claim " + v.claimRefNamespace + "/"
                        + v.claimRefName + ", which is not in the files checked");
            }
        }
        return out;
    }
}
