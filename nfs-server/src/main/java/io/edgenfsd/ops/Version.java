package io.edgenfsd.ops;

/** The version string reported to clients in nfs_impl_id4. */
public final class Version {
    public static final String VERSION;

    static {
        String v = Version.class.getPackage().getImplementationVersion();
        VERSION = v == null ? "dev" : v;
    }

    private Version() {
    }
}
