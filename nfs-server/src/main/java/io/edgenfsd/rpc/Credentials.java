package io.edgenfsd.rpc;

import java.util.Arrays;

/**
 * Who sent a call, as AUTH_SYS (RFC 5531 appendix A) says. AUTH_NONE maps to the anonymous user.
 */
public record Credentials(int flavor, int uid, int gid, int[] gids, String machineName) {
    public static final int AUTH_NONE = 0;
    public static final int AUTH_SYS = 1;
    public static final int NOBODY = 65534;

    public static Credentials none() {
        return new Credentials(AUTH_NONE, NOBODY, NOBODY, new int[0], "");
    }

    public boolean isRoot() {
        return uid == 0;
    }

    @Override
    public String toString() {
        return "uid=" + uid + " gid=" + gid + " gids=" + Arrays.toString(gids);
    }
}
