package io.edgenfsd.state;

import io.edgenfsd.rpc.Credentials;

/**
 * Who made a call, as far as state ownership goes (RFC 8881 section 18.35.4, "principal"): for AUTH_SYS the
 * machine name, uid and gid of the credential; for AUTH_NONE (and anything else) the anonymous principal.
 * Supplementary groups are not part of it: they change with a user's group membership, not with who he is.
 */
public record Principal(int flavor, String machine, int uid, int gid) {
    public static final Principal ANONYMOUS = new Principal(Credentials.AUTH_NONE, "", Credentials.NOBODY,
            Credentials.NOBODY);

    public static Principal of(Credentials c) {
        if (c == null || c.flavor() != Credentials.AUTH_SYS) {
            return ANONYMOUS;
        }
        return new Principal(Credentials.AUTH_SYS, c.machineName() == null ? "" : c.machineName(), c.uid(), c.gid());
    }

    public boolean isAnonymous() {
        return flavor != Credentials.AUTH_SYS;
    }

    /** A one-word form for the client record store: flavor, base64 machine name, uid, gid. */
    public String token() {
        return flavor + ":" + java.util.Base64.getEncoder().encodeToString(machine.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + ":" + uid + ":" + gid;
    }

    @Override
    public String toString() {
        return isAnonymous() ? "anonymous" : "sys:" + StateManager.printable(machine.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + ":" + uid + "/" + gid;
    }
}
