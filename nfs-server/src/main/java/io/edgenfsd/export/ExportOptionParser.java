package io.edgenfsd.export;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses one exports(5) option list ({@code rw,sync,no_root_squash}) on top of a starting set of options.
 *
 * <p>Accepted options and what they do here:
 * <ul>
 *   <li>with effect (carried in {@link ExportOptions}): {@code rw ro sync async root_squash no_root_squash
 *       all_squash no_all_squash anonuid= anongid= secure insecure crossmnt nocrossmnt nohide hide fsid=
 *       subtree_check no_subtree_check wdelay no_wdelay}, and edge-nfsd's own {@code delegations no_delegations}
 *       (whether OPEN may grant delegations on this export; default on);</li></li>
 *   <li>recorded for the server to enforce: {@code mountpoint}, {@code mp}, {@code mountpoint=PATH},
 *       {@code mp=PATH} ({@link Export#mountpoint()}); edge-nfsd's own {@code capacity=QUANTITY} (a
 *       Kubernetes quantity of bytes such as {@code 5Gi} or {@code 500M}: the volume's size, see
 *       {@link Export#capacity()});</li>
 *   <li>accepted and logged once per process as having no effect in this NFSv4.1-only, AUTH_SYS-only server:
 *       {@code subtree_check} (handles are MAC-protected and confined to their export instead),
 *       {@code wdelay no_wdelay} (no write gathering), {@code insecure_locks secure_locks no_auth_nlm auth_nlm}
 *       (NLM is NFSv3), {@code acl no_acl} (no ACL attributes), {@code nordirplus} (NFSv3),
 *       {@code pnfs no_pnfs}, {@code security_label}, {@code xprtsec=none};</li>
 *   <li>{@code sec=sys} and colon lists made only of {@code sys}; any other flavor is an error
 *       ({@code krb5 krb5i krb5p}: "not supported"; unknown names: "unknown security flavor");</li>
 *   <li>errors because ignoring them would silently change what is served: {@code refer= replicas=}
 *       (NFSv4 referrals), {@code squash_uids= squash_gids=}, {@code xprtsec=tls|mtls}.</li>
 * </ul>
 * Empty items ({@code rw,,sync}) and blanks around items are ignored.
 */
final class ExportOptionParser {
    private static final Logger log = LoggerFactory.getLogger(ExportOptionParser.class);

    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,11}");
    private static final Pattern FSID_DEC = Pattern.compile("0|[1-9][0-9]{0,10}");
    private static final Pattern FSID_HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,8}");
    private static final Pattern FSID_OCT = Pattern.compile("0[0-7]{1,11}");
    private static final Pattern UUID_CHARS = Pattern.compile("[0-9a-fA-F:-]+");

    private ExportOptionParser() {
    }

    /** Mutable working copy of an option set plus the per-rule extras not in {@link ExportOptions}. */
    static final class Builder {
        boolean readOnly;
        boolean sync;
        boolean rootSquash;
        boolean allSquash;
        int anonUid;
        int anonGid;
        boolean secure;
        boolean crossmnt;
        boolean noHide;
        String fsid;
        boolean subtreeCheck;
        boolean wdelay;
        boolean delegations;
        /** null: not requested; "": the export path itself must be a mount point; else that path. */
        String mountpoint;
        /** capacity= in bytes, or null when not given. */
        Long capacity;

        static Builder from(ExportOptions o) {
            Builder b = new Builder();
            b.readOnly = o.readOnly();
            b.sync = o.sync();
            b.rootSquash = o.rootSquash();
            b.allSquash = o.allSquash();
            b.anonUid = o.anonUid();
            b.anonGid = o.anonGid();
            b.secure = o.secure();
            b.crossmnt = o.crossmnt();
            b.noHide = o.noHide();
            b.fsid = o.fsid();
            b.subtreeCheck = o.subtreeCheck();
            b.wdelay = o.wdelay();
            b.delegations = o.delegations();
            return b;
        }

        Builder copy() {
            Builder b = from(build());
            b.mountpoint = mountpoint;
            b.capacity = capacity;
            return b;
        }

        ExportOptions build() {
            return new ExportOptions(readOnly, sync, rootSquash, allSquash, anonUid, anonGid, secure, crossmnt,
                    noHide, fsid, subtreeCheck, wdelay, delegations);
        }
    }

    /**
     * Applies the comma-separated {@code list} to {@code b}.
     *
     * @throws IllegalArgumentException with a message for the user ("unknown export option \"x\"")
     */
    static void apply(String list, Builder b) {
        if (list == null) {
            return;
        }
        for (String raw : list.split(",", -1)) {
            String opt = raw.strip();
            if (!opt.isEmpty()) {
                applyOne(opt, b);
            }
        }
    }

    private static void applyOne(String opt, Builder b) {
        switch (opt) {
            case "ro" -> b.readOnly = true;
            case "rw" -> b.readOnly = false;
            case "sync" -> b.sync = true;
            case "async" -> b.sync = false;
            case "root_squash" -> b.rootSquash = true;
            case "no_root_squash" -> b.rootSquash = false;
            case "all_squash" -> b.allSquash = true;
            case "no_all_squash" -> b.allSquash = false;
            case "secure" -> b.secure = true;
            case "insecure" -> b.secure = false;
            case "crossmnt" -> b.crossmnt = true;
            case "nocrossmnt" -> b.crossmnt = false;
            case "nohide" -> b.noHide = true;
            case "hide" -> b.noHide = false;
            case "no_subtree_check" -> b.subtreeCheck = false;
            case "subtree_check" -> {
                b.subtreeCheck = true;
                noEffect(opt, "file handles are MAC-protected and confined to their export instead");
            }
            case "wdelay" -> {
                b.wdelay = true;
                noEffect(opt, "this server does not delay writes to gather them");
            }
            case "no_wdelay" -> {
                b.wdelay = false;
                noEffect(opt, "this server does not delay writes to gather them");
            }
            case "insecure_locks", "secure_locks", "no_auth_nlm", "auth_nlm", "nordirplus" ->
                    noEffect(opt, "it concerns NFSv3/NLM, and this server speaks NFSv4.1 only");
            case "acl", "no_acl" -> noEffect(opt, "this server does not serve ACL attributes");
            case "pnfs", "no_pnfs" -> noEffect(opt, "this server does not offer pNFS layouts");
            case "security_label" -> noEffect(opt, "this server does not serve security labels");
            case "mountpoint", "mp" -> b.mountpoint = "";
            case "delegations" -> b.delegations = true;
            case "no_delegations" -> b.delegations = false;
            default -> applyValued(opt, b);
        }
    }

    private static void applyValued(String opt, Builder b) {
        int eq = opt.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("unknown export option \"" + opt + "\"");
        }
        String name = opt.substring(0, eq);
        String value = opt.substring(eq + 1);
        switch (name) {
            case "anonuid" -> b.anonUid = parseId(name, value);
            case "anongid" -> b.anonGid = parseId(name, value);
            case "fsid" -> b.fsid = parseFsid(value);
            case "sec" -> parseSec(value);
            case "capacity" -> b.capacity = parseCapacity(value);
            case "mountpoint", "mp" -> {
                if (value.isEmpty() || !value.startsWith("/")) {
                    throw new IllegalArgumentException(
                            "bad value in \"" + opt + "\": the mount point must be an absolute path");
                }
                b.mountpoint = value;
            }
            case "xprtsec" -> {
                for (String mode : value.split(":", -1)) {
                    if (!mode.equals("none")) {
                        throw new IllegalArgumentException("\"" + opt + "\" is not supported: this server has no "
                                + "RPC-with-TLS, only xprtsec=none");
                    }
                }
                noEffect("xprtsec=none", "plain TCP is all this server offers");
            }
            case "refer", "replicas" -> throw new IllegalArgumentException("\"" + name + "=\" is not supported: "
                    + "this server does not send NFSv4 referrals");
            case "squash_uids", "squash_gids" -> throw new IllegalArgumentException("\"" + name
                    + "=\" is not supported: use all_squash or root_squash");
            default -> throw new IllegalArgumentException("unknown export option \"" + opt + "\"");
        }
    }

    private static int parseId(String name, String value) {
        if (!DECIMAL.matcher(value).matches()) {
            throw new IllegalArgumentException("bad " + name + " \"" + value + "\": expected a number");
        }
        long v = Long.parseLong(value);
        if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bad " + name + " \"" + value + "\": out of range");
        }
        if (v == -1 || v == 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bad " + name + " \"" + value + "\": -1 is not a valid id");
        }
        return (int) v;
    }

    private static String parseFsid(String value) {
        if (value.equals("root")) {
            return "0";
        }
        long v = -1;
        if (FSID_DEC.matcher(value).matches()) {
            v = Long.parseLong(value);
        } else if (FSID_HEX.matcher(value).matches()) {
            v = Long.parseLong(value.substring(2), 16);
        } else if (FSID_OCT.matcher(value).matches()) {
            v = Long.parseLong(value.substring(1), 8);
        }
        if (v >= 0) {
            if (v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("bad fsid \"" + value + "\": out of range");
            }
            return Long.toString(v);
        }
        if (UUID_CHARS.matcher(value).matches() && value.chars().filter(ExportOptionParser::isHex).count() == 32) {
            return value.toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("bad fsid \"" + value + "\": expected a number, \"root\" or a UUID");
    }

    /** A whole number of bytes of at least 1 MiB, written as a Kubernetes quantity (5Gi, 500M, 1073741824). */
    static long parseCapacity(String value) {
        io.edgenfsd.manifest.Quantity q;
        try {
            q = io.edgenfsd.manifest.Quantity.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad capacity \"" + value + "\": expected a size such as 5Gi, 500Mi "
                    + "or 2G (" + e.getMessage() + ")");
        }
        if (!q.isWhole() || q.signum() <= 0) {
            throw new IllegalArgumentException("bad capacity \"" + value + "\": must be a positive whole number of bytes");
        }
        java.math.BigInteger bytes = q.ceilValue();
        if (bytes.compareTo(java.math.BigInteger.valueOf(1L << 20)) < 0
                || bytes.compareTo(java.math.BigInteger.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw new IllegalArgumentException("bad capacity \"" + value + "\": must be between 1Mi and 4Ei");
        }
        return bytes.longValueExact();
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static void parseSec(String value) {
        for (String flavor : value.split(":", -1)) {
            switch (flavor) {
                case "sys" -> { }
                case "krb5", "krb5i", "krb5p" -> throw new IllegalArgumentException("sec=" + flavor
                        + " is not supported: this server offers only sec=sys (AUTH_SYS)");
                case "none", "lipkey", "spkm3" -> throw new IllegalArgumentException("sec=" + flavor
                        + " is not supported: this server offers only sec=sys (AUTH_SYS)");
                default -> throw new IllegalArgumentException("unknown security flavor \"" + flavor
                        + "\" in \"sec=" + value + "\"");
            }
        }
    }

    private static void noEffect(String option, String why) {
        if (LOGGED.add(option)) {
            log.info("export option \"{}\" has no effect in edge-nfsd: {}", option, why);
        }
    }

    /** Which option names were logged as having no effect; for tests. */
    static Set<String> loggedNoEffect() {
        return Set.copyOf(LOGGED);
    }

    /** Forgets what was logged, so a test can observe the once-per-process rule from a clean start. */
    static void resetNoEffectLog() {
        LOGGED.clear();
    }
}
