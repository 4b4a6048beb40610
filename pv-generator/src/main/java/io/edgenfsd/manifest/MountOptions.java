package io.edgenfsd.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks NFS mount options the way the Linux NFS client (and mount.nfs) will take them. */
public final class MountOptions {
    private MountOptions() {
    }

    public static final List<String> DEFAULTS = List.of("hard", "nfsvers=4.1");

    private static final Set<String> FLAGS = Set.of(
            "bg", "fg", "ac", "noac", "cto", "nocto", "lock", "nolock", "intr", "nointr", "posix", "noposix",
            "hard", "soft", "softerr", "softreval", "nosoftreval", "rdirplus", "nordirplus", "sharecache",
            "nosharecache", "resvport", "noresvport", "fsc", "nofsc", "migration", "nomigration", "acl", "noacl",
            "udp", "tcp", "rdma", "trunkdiscovery", "notrunkdiscovery", "alignwrite", "noalignwrite",
            // generic options that mount(8) and the VFS take
            "ro", "rw", "sync", "async", "dirsync", "atime", "noatime", "relatime", "norelatime", "strictatime",
            "diratime", "nodiratime", "suid", "nosuid", "dev", "nodev", "exec", "noexec", "_netdev", "defaults",
            "lazytime", "nolazytime", "iversion", "noiversion", "mand", "nomand");
    private static final Set<String> NUMERIC = Set.of(
            "port", "rsize", "wsize", "bsize", "timeo", "retrans", "acregmin", "acregmax", "acdirmin", "acdirmax",
            "actimeo", "namlen", "mountport", "mountvers", "minorversion", "nconnect", "max_connect", "retry");
    private static final Set<String> STRINGS = Set.of(
            "addr", "clientaddr", "mounthost", "mountaddr", "source", "context", "fscontext", "defcontext",
            "rootcontext", "fsc", "xprtsec", "write");
    private static final Set<String> VERSIONS = Set.of("2", "3", "4", "4.0", "4.1", "4.2");
    private static final Set<String> SEC = Set.of("none", "sys", "krb5", "krb5i", "krb5p");
    private static final Set<String> PROTO = Set.of("tcp", "udp", "rdma", "tcp6", "udp6", "rdma6");
    private static final Set<String> LOCAL_LOCK = Set.of("none", "all", "flock", "posix");
    private static final Set<String> LOOKUPCACHE = Set.of("all", "none", "pos", "positive");

    /** A problem with one option. */
    public static final class Finding {
        public final String option;
        /** True when the client (or edge-nfsd, for a version it does not serve) makes the mount fail. */
        public final boolean fatal;
        public final String message;

        Finding(String option, boolean fatal, String message) {
            this.option = option;
            this.fatal = fatal;
            this.message = message;
        }

        @Override
        public String toString() {
            return "mount option '" + option + "': " + message;
        }
    }

    public static List<Finding> check(List<String> options) {
        List<Finding> out = new ArrayList<>();
        boolean hard = false;
        boolean soft = false;
        String version = null;
        String proto = null;
        for (String opt : options) {
            int eq = opt.indexOf('=');
            String name = eq < 0 ? opt : opt.substring(0, eq);
            String value = eq < 0 ? null : opt.substring(eq + 1);
            if (opt.isEmpty()) {
                out.add(new Finding(opt, true, "empty option"));
                continue;
            }
            if (opt.contains(",")) {
                out.add(new Finding(opt, true, "give one option per list item, not a comma-separated string"));
                continue;
            }
            if (FLAGS.contains(name) && !STRINGS.contains(name)) {
                if (value != null) {
                    out.add(new Finding(opt, true, "'" + name + "' takes no value; the NFS client rejects it"));
                }
                hard |= name.equals("hard");
                soft |= name.equals("soft") || name.equals("softerr");
                if (name.equals("udp")) {
                    proto = "udp";
                }
                continue;
            }
            if (name.equals("fsc") && value == null) {
                continue;
            }
            if (value == null && (NUMERIC.contains(name) || STRINGS.contains(name) || Set.of("nfsvers", "vers", "sec",
                    "proto", "mountproto", "local_lock", "lookupcache").contains(name))) {
                out.add(new Finding(opt, true, "'" + name + "' needs a value (" + name + "=...)"));
                continue;
            }
            if (NUMERIC.contains(name)) {
                if (!value.matches("[0-9]+")) {
                    out.add(new Finding(opt, true, "'" + name + "' needs a whole number, not '" + value + "'"));
                } else if (name.equals("minorversion") && !value.equals("1")) {
                    out.add(new Finding(opt, true, "edge-nfsd serves NFSv4.1 only; minorversion=" + value
                            + " will not mount"));
                }
                continue;
            }
            if (STRINGS.contains(name)) {
                continue;
            }
            switch (name) {
                case "nfsvers":
                case "vers":
                    if (!VERSIONS.contains(value)) {
                        out.add(new Finding(opt, true, "unknown NFS version '" + value
                                + "' (the client accepts 2, 3, 4, 4.0, 4.1, 4.2)"));
                    } else if (!value.equals("4.1") && !value.equals("4")) {
                        out.add(new Finding(opt, true, "edge-nfsd serves NFSv4.1 only; " + opt
                                + " will not mount (use nfsvers=4.1)"));
                    }
                    version = value;
                    break;
                case "sec":
                    for (String flavor : value.split(":")) {
                        if (!SEC.contains(flavor)) {
                            out.add(new Finding(opt, true, "unknown security flavor '" + flavor + "'"));
                        } else if (!flavor.equals("sys") && !flavor.equals("none")) {
                            out.add(new Finding(opt, true, "edge-nfsd offers AUTH_SYS only; " + flavor
                                    + " will not mount"));
                        }
                    }
                    break;
                case "proto":
                case "mountproto":
                    if (!PROTO.contains(value)) {
                        out.add(new Finding(opt, true, "unknown transport '" + value + "'"));
                    } else if (name.equals("proto")) {
                        proto = value;
                    }
                    break;
                case "local_lock":
                    if (!LOCAL_LOCK.contains(value)) {
                        out.add(new Finding(opt, true, "local_lock must be none, all, flock or posix"));
                    }
                    break;
                case "lookupcache":
                    if (!LOOKUPCACHE.contains(value)) {
                        out.add(new Finding(opt, true, "lookupcache must be all, none or positive"));
                    }
                    break;
                default:
                    out.add(new Finding(opt, true, "unknown option; the NFS client rejects it"
                            + " (\"nfs: Unknown parameter '" + name + "'\")"));
            }
        }
        if (hard && soft) {
            out.add(new Finding("soft", false, "both hard and soft are given; the last one wins"));
        } else if (soft) {
            out.add(new Finding("soft", false, "soft mounts can return I/O errors to applications and lose"
                    + " writes after a server restart; use hard"));
        }
        if (proto != null && proto.startsWith("udp") && (version == null || version.startsWith("4"))) {
            out.add(new Finding("proto=" + proto, true, "NFSv4 does not run over UDP"));
        }
        return out;
    }
}
