package io.edgenfsd.export;

// TEMPORARY STUB replaced by the export branch
public record ExportOptions(boolean readOnly, boolean sync, boolean rootSquash, boolean allSquash,
                            int anonUid, int anonGid, boolean secure, boolean crossmnt, boolean noHide,
                            String fsid, boolean subtreeCheck, boolean wdelay) {
    public static ExportOptions knfsdDefaults() {
        return new ExportOptions(true, true, true, false, 65534, 65534, true, false, false, null, false, true);
    }

    public SquashedCredentials squash(int uid, int gid, int[] gids) {
        if (allSquash) {
            return new SquashedCredentials(anonUid, anonGid, new int[0]);
        }
        if (rootSquash) {
            int[] g = gids.clone();
            for (int i = 0; i < g.length; i++) {
                if (g[i] == 0) {
                    g[i] = anonGid;
                }
            }
            return new SquashedCredentials(uid == 0 ? anonUid : uid, gid == 0 ? anonGid : gid, g);
        }
        return new SquashedCredentials(uid, gid, gids);
    }
}
