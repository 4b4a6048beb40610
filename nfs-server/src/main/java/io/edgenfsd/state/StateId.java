package io.edgenfsd.state;

import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.Arrays;

/** stateid4 (RFC 8881 section 8.2): a sequence id and 12 opaque bytes naming the state. */
public record StateId(int seqid, byte[] other) {
    public static final StateId ANONYMOUS = new StateId(0, new byte[12]);
    public static final StateId INVALID = new StateId(-1, new byte[12]);

    public static StateId decode(XdrDecoder in) {
        return new StateId(in.readInt(), in.readFixedOpaque(12));
    }

    public void encode(XdrEncoder out) {
        out.writeInt(seqid).writeFixedOpaque(other);
    }

    public boolean isAnonymous() {
        return seqid == 0 && allBytes(0);
    }

    /** All-ones: the READ bypass stateid (section 8.2.3). */
    public boolean isReadBypass() {
        return seqid == -1 && allBytes(0xFF);
    }

    /** seqid 1 with zero other: "the current stateid" of this compound (section 16.2.3.1.2). */
    public boolean isCurrent() {
        return seqid == 1 && allBytes(0);
    }

    public boolean isSpecial() {
        return allBytes(0) || allBytes(0xFF);
    }

    private boolean allBytes(int value) {
        for (byte b : other) {
            if ((b & 0xFF) != value) {
                return false;
            }
        }
        return true;
    }

    public StateId withSeqid(int s) {
        return new StateId(s, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateId s && s.seqid == seqid && Arrays.equals(s.other, other);
    }

    @Override
    public int hashCode() {
        return 31 * seqid + Arrays.hashCode(other);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(seqid).append(':');
        for (byte b : other) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
