package io.edgenfsd.export;

import java.util.Arrays;

/**
 * The options of one export rule (one client of one path), with knfsd's meaning.
 *
 * <p>{@code anonUid}/{@code anonGid} hold the 32-bit id as a Java int (so uid 4294967294 is -2).
 * {@code fsid} is null when unset; otherwise {@code "0"} for {@code fsid=root}/{@code fsid=0}, the
 * unsigned decimal value for a numeric fsid (so {@code fsid=0x10} becomes {@code "16"}), or the UUID text
 * in lower case as written.
 */
public record ExportOptions(boolean readOnly, boolean sync, boolean rootSquash, boolean allSquash,
                            int anonUid, int anonGid, boolean secure, boolean crossmnt, boolean noHide,
                            String fsid, boolean subtreeCheck, boolean wdelay, boolean delegations) {

    /** knfsd's id for "nobody" used when nothing else is said. */
    public static final int DEFAULT_ANON_ID = 65534;

    /** The kernel's "no id" value; an AUTH_SYS uid/gid of -1 is squashed like root would be. */
    private static final int INVALID_ID = -1;

    private static final ExportOptions KNFSD_DEFAULTS = new ExportOptions(true, true, true, false,
            DEFAULT_ANON_ID, DEFAULT_ANON_ID, true, false, false, null, false, true, true);

    /** ro, sync, root_squash, no_all_squash, anonuid=anongid=65534, secure, hide, wdelay, no_subtree_check,
     * delegations (edge-nfsd's own option; knfsd has none per export). */
    public static ExportOptions knfsdDefaults() {
        return KNFSD_DEFAULTS;
    }

    /**
     * Applies this export's squashing to AUTH_SYS credentials, as the Linux server does:
     * {@code all_squash} maps uid and gid to anonuid/anongid and drops every supplementary group;
     * {@code root_squash} maps uid 0 to anonuid, and gid 0 (primary or supplementary) to anongid.
     * An id of -1 (4294967295, "no id") is mapped like root. {@code gids} may be null (no groups).
     */
    public SquashedCredentials squash(int uid, int gid, int[] gids) {
        int[] groups = gids == null ? new int[0] : Arrays.copyOf(gids, gids.length);
        if (allSquash) {
            return new SquashedCredentials(anonUid, anonGid, new int[0]);
        }
        int u = uid;
        int g = gid;
        if (u == INVALID_ID) {
            u = anonUid;
        }
        if (g == INVALID_ID) {
            g = anonGid;
        }
        if (rootSquash) {
            if (u == 0) {
                u = anonUid;
            }
            if (g == 0) {
                g = anonGid;
            }
            for (int i = 0; i < groups.length; i++) {
                if (groups[i] == 0) {
                    groups[i] = anonGid;
                }
            }
        }
        return new SquashedCredentials(u, g, groups);
    }

    /** The options in exports(5) spelling, e.g. {@code rw,sync,no_root_squash,...}; for logs. */
    public String toExportsString() {
        StringBuilder sb = new StringBuilder();
        sb.append(readOnly ? "ro" : "rw");
        sb.append(sync ? ",sync" : ",async");
        sb.append(wdelay ? ",wdelay" : ",no_wdelay");
        sb.append(noHide ? ",nohide" : ",hide");
        if (crossmnt) {
            sb.append(",crossmnt");
        }
        sb.append(subtreeCheck ? ",subtree_check" : ",no_subtree_check");
        sb.append(secure ? ",secure" : ",insecure");
        sb.append(rootSquash ? ",root_squash" : ",no_root_squash");
        sb.append(allSquash ? ",all_squash" : ",no_all_squash");
        if (!delegations) {
            sb.append(",no_delegations");
        }
        if (fsid != null) {
            sb.append(",fsid=").append(fsid);
        }
        sb.append(",anonuid=").append(Integer.toUnsignedString(anonUid));
        sb.append(",anongid=").append(Integer.toUnsignedString(anonGid));
        sb.append(",sec=sys");
        return sb.toString();
    }
}
