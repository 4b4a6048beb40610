package io.edgenfsd.client;

import java.util.Arrays;

/** stateid4 as the client sees it. */
public record Stateid(int seqid, byte[] other) {
    public static final Stateid ANONYMOUS = new Stateid(0, new byte[12]);
    public static final Stateid READ_BYPASS = new Stateid(-1, filled(0xFF));
    public static final Stateid CURRENT = new Stateid(1, new byte[12]);

    private static byte[] filled(int v) {
        byte[] b = new byte[12];
        Arrays.fill(b, (byte) v);
        return b;
    }

    static Stateid decode(XdrIn in) {
        return new Stateid(in.int32(), in.fixed(12));
    }

    void encode(XdrOut out) {
        out.int32(seqid).fixed(other);
    }

    public Stateid withSeqid(int s) {
        return new Stateid(s, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stateid s && s.seqid == seqid && Arrays.equals(s.other, other);
    }

    @Override
    public int hashCode() {
        return seqid * 31 + Arrays.hashCode(other);
    }

    @Override
    public String toString() {
        return seqid + ":" + java.util.HexFormat.of().formatHex(other);
    }
}
