package io.edgenfsd.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the generator needs, already chosen (defaults applied by the command). */
public final class ManifestOptions {
    public String server;
    public String path = "/var/nfs-k8s";
    public String name = "nfs-pv";
    public String claim;
    public String namespace = "default";
    public Quantity size = Quantity.parse("1Gi");
    public List<AccessMode> accessModes = new ArrayList<>(List.of(AccessMode.RWX));
    /** null: not given ("" for static volumes, "edge-nfs" for --csi). */
    public String storageClass;
    public String reclaimPolicy = "Retain";
    public List<String> mountOptions = new ArrayList<>(MountOptions.DEFAULTS);
    public String volumeMode = "Filesystem";
    public Map<String, String> labels = new LinkedHashMap<>();
    public int count = 1;
    public boolean subdir;
    public boolean csi;
    public String onDelete = "retain";
    public String mountPermissions = "0";
}
