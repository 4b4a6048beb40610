package io.edgenfsd.export;

import java.util.Arrays;

/** AUTH_SYS credentials after an export's squash rules were applied. */
public record SquashedCredentials(int uid, int gid, int[] gids) {
    public SquashedCredentials {
        gids = gids == null ? new int[0] : Arrays.copyOf(gids, gids.length);
    }

    @Override
    public int[] gids() {
        return Arrays.copyOf(gids, gids.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SquashedCredentials c && c.uid == uid && c.gid == gid && Arrays.equals(c.gids, gids);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * uid + gid) + Arrays.hashCode(gids);
    }

    @Override
    public String toString() {
        return "SquashedCredentials[uid=" + Integer.toUnsignedString(uid) + ", gid=" + Integer.toUnsignedString(gid)
                + ", gids=" + Arrays.toString(gids) + "]";
    }
}
