package io.edgenfsd.client;

/**
 * RPC credentials the client sends: AUTH_SYS with uid, gid and supplementary gids, AUTH_NONE, or (for
 * malformed-input tests) an arbitrary flavor with an arbitrary body.
 */
public record Cred(int flavor, int uid, int gid, int[] gids, byte[] rawBody, String machine) {
    public static final int AUTH_NONE = 0;
    public static final int AUTH_SYS = 1;
    public static final String DEFAULT_MACHINE = "edge-nfsd-test";

    public Cred(int flavor, int uid, int gid, int[] gids, byte[] rawBody) {
        this(flavor, uid, gid, gids, rawBody, DEFAULT_MACHINE);
    }

    /** AUTH_SYS from another machine name: a different principal even with the same uid and gid. */
    public static Cred sysOn(String machine, int uid, int gid, int... gids) {
        return new Cred(AUTH_SYS, uid, gid, gids, null, machine);
    }

    public static Cred sys(int uid, int gid, int... gids) {
        return new Cred(AUTH_SYS, uid, gid, gids, null);
    }

    public static Cred root() {
        return sys(0, 0);
    }

    public static Cred none() {
        return new Cred(AUTH_NONE, 0, 0, new int[0], null);
    }

    public static Cred raw(int flavor, byte[] body) {
        return new Cred(flavor, 0, 0, new int[0], body);
    }

    /** opaque_auth of this credential. */
    public void encode(XdrOut out) {
        out.int32(flavor);
        if (rawBody != null) {
            out.opaque(rawBody);
        } else if (flavor == AUTH_SYS) {
            out.opaque(authSysBody());
        } else {
            out.int32(0);
        }
    }

    /** authsys_parms (RFC 5531 appendix A). */
    public byte[] authSysBody() {
        XdrOut b = new XdrOut().int32(0).string(machine).int32(uid).int32(gid).int32(gids.length);
        for (int g : gids) {
            b.int32(g);
        }
        return b.toByteArray();
    }
}
