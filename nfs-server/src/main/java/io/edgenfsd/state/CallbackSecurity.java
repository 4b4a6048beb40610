package io.edgenfsd.state;

import io.edgenfsd.xdr.XdrEncoder;

/** callback_sec_parms4 chosen for the back channel: AUTH_NONE or AUTH_SYS with the client's values. */
public record CallbackSecurity(int flavor, int uid, int gid, String machineName) {
    public static final CallbackSecurity NONE = new CallbackSecurity(0, 0, 0, "");

    public void encodeCredential(XdrEncoder out) {
        if (flavor == 1) {
            byte[] name = machineName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int len = 4 + 4 + io.edgenfsd.xdr.XdrDecoder.pad(name.length) + 4 + 4 + 4;
            out.writeInt(1).writeInt(len).writeInt(0).writeOpaque(name).writeInt(uid).writeInt(gid).writeInt(0);
        } else {
            out.writeInt(0).writeInt(0);
        }
    }
}
