package io.edgenfsd.client;

import java.util.Arrays;

/**
 * One decoded RPC reply (RFC 5531 section 9). {@code raw} is the whole record as received (without the
 * record mark), so tests can compare replies byte for byte after the xid.
 */
public record RpcResult(int xid, boolean accepted, int acceptStat, int rejectStat, int authStat, int low, int high,
                        byte[] results, byte[] raw) {
    public static final int SUCCESS = 0;
    public static final int PROG_UNAVAIL = 1;
    public static final int PROG_MISMATCH = 2;
    public static final int PROC_UNAVAIL = 3;
    public static final int GARBAGE_ARGS = 4;
    public static final int SYSTEM_ERR = 5;
    public static final int RPC_MISMATCH = 0;
    public static final int AUTH_ERROR = 1;

    static RpcResult parse(byte[] record) {
        XdrIn in = new XdrIn(record);
        int xid = in.int32();
        in.int32(); // REPLY
        int replyStat = in.int32();
        if (replyStat == 0) {
            in.int32();
            in.opaque();
            int stat = in.int32();
            int low = -1;
            int high = -1;
            if (stat == PROG_MISMATCH) {
                low = in.int32();
                high = in.int32();
            }
            return new RpcResult(xid, true, stat, -1, -1, low, high, in.rest(), record);
        }
        int reject = in.int32();
        if (reject == RPC_MISMATCH) {
            return new RpcResult(xid, false, -1, reject, -1, in.int32(), in.int32(), new byte[0], record);
        }
        return new RpcResult(xid, false, -1, reject, in.int32(), -1, -1, new byte[0], record);
    }

    /** The reply without its xid: two replies to one retransmitted request must be equal here. */
    public byte[] afterXid() {
        return Arrays.copyOfRange(raw, 4, raw.length);
    }
}
