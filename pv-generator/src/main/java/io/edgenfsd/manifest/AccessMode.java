package io.edgenfsd.manifest;

import java.util.Locale;

/** PersistentVolume access modes, with the short names kubectl prints. */
public enum AccessMode {
    RWO("ReadWriteOnce"), ROX("ReadOnlyMany"), RWX("ReadWriteMany"), RWOP("ReadWriteOncePod");

    private final String apiName;

    AccessMode(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** Accepts the short name (any case) or the exact API name. */
    public static AccessMode parse(String s) {
        for (AccessMode m : values()) {
            if (m.name().equals(s.toUpperCase(Locale.ROOT)) || m.apiName.equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown access mode '" + s
                + "' (expected RWO, ROX, RWX, RWOP or ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod)");
    }

    /** The exact API name only, as the API server accepts it; null when unknown. */
    public static AccessMode fromApiName(String s) {
        for (AccessMode m : values()) {
            if (m.apiName.equals(s)) {
                return m;
            }
        }
        return null;
    }
}
