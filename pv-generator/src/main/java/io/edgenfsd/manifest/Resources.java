package io.edgenfsd.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parts of PVs, PVCs and StorageClasses that binding depends on, read from checked documents. */
public final class Resources {
    private Resources() {
    }

    /** Where a document came from: {@code file:document}. */
    public static final class Origin {
        public final String file;
        public final int document;

        public Origin(String file, int document) {
            this.file = file;
            this.document = document;
        }

        public String at(String path) {
            return file + ":" + document + (path.isEmpty() ? "" : ":" + path);
        }

        @Override
        public String toString() {
            return file + ":" + document;
        }
    }

    public static final class Volume {
        public Origin origin;
        public String name;
        public Map<String, String> labels = new LinkedHashMap<>();
        public Quantity capacity;
        public Set<String> accessModes = new LinkedHashSet<>();
        public String storageClass = "";
        public String volumeMode = "Filesystem";
        public String claimRefName;
        public String claimRefNamespace;
        public boolean hasClaimRef;
        public String nfsServer;
        public String nfsPath;
        public String csiDriver;
        public String source;
        public String reclaimPolicy = "Retain";

        public boolean isNfs() {
            return nfsServer != null || ManifestGenerator.CSI_DRIVER.equals(csiDriver);
        }

        public String describe() {
            if (nfsServer != null) {
                return "NFS " + nfsServer + ":" + nfsPath;
            }
            return source == null ? "no volume source" : source + (csiDriver != null ? " " + csiDriver : "");
        }
    }

    public static final class Claim {
        public Origin origin;
        public String name;
        public String namespace;
        public boolean namespaceGiven;
        /** null when not set at all (admission may inject the default class). */
        public String storageClass;
        public Quantity request;
        public Set<String> accessModes = new LinkedHashSet<>();
        public String volumeMode = "Filesystem";
        public String volumeName;
        public Selector selector;

        public String key() {
            return namespace + "/" + name;
        }
    }

    public static final class StorageClass {
        public Origin origin;
        public String name;
        public String provisioner;
        public String bindingMode = "Immediate";
        public boolean isDefault;
    }

    /** A claim mounted by a pod of a Job in the checked documents. */
    public static final class ClaimUse {
        public Origin origin;
        public String job;
        public String namespace;
        public String claim;
        public boolean readOnly;

        public String key() {
            return namespace + "/" + claim;
        }
    }

    /** A label selector: matchLabels and matchExpressions. */
    public static final class Selector {
        public Map<String, String> matchLabels = new LinkedHashMap<>();
        public List<Requirement> expressions = new ArrayList<>();

        public boolean matches(Map<String, String> labels) {
            for (Map.Entry<String, String> e : matchLabels.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
            for (Requirement r : expressions) {
                if (!r.matches(labels)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
            for (Requirement r : expressions) {
                parts.add(r.toString());
            }
            return String.join(",", parts);
        }
    }

    public static final class Requirement {
        public String key;
        public String operator;
        public List<String> values = new ArrayList<>();

        boolean matches(Map<String, String> labels) {
            switch (operator) {
                case "In": return labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn": return !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists": return labels.containsKey(key);
                case "DoesNotExist": return !labels.containsKey(key);
                default: return false;
            }
        }

        @Override
        public String toString() {
            switch (operator) {
                case "Exists": return key;
                case "DoesNotExist": return "!" + key;
                default: return key + " " + operator.toLowerCase(java.util.Locale.ROOT) + " (" + String.join(",", values) + ")";
            }
        }
    }
}
