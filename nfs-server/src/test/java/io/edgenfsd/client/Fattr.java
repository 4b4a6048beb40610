package io.edgenfsd.client;

import java.util.Map;
import java.util.TreeMap;

/** A decoded fattr4. {@code values} holds the raw attribute bytes too, for VERIFY/NVERIFY round trips. */
public record Fattr(int[] bitmap, byte[] values, Map<Integer, Object> attrs) {
    public static final int SUPPORTED_ATTRS = 0;
    public static final int TYPE = 1;
    public static final int CHANGE = 3;
    public static final int SIZE = 4;
    public static final int FSID = 8;
    public static final int RDATTR_ERROR = 11;
    public static final int FILEHANDLE = 19;
    public static final int FILEID = 20;
    public static final int MODE = 33;
    public static final int NUMLINKS = 35;
    public static final int OWNER = 36;
    public static final int OWNER_GROUP = 37;
    public static final int RAWDEV = 41;
    public static final int TIME_MODIFY = 53;

    public static int[] bitmap(int... bits) {
        int max = 0;
        for (int b : bits) {
            max = Math.max(max, b);
        }
        int[] w = new int[max / 32 + 1];
        for (int b : bits) {
            w[b / 32] |= 1 << (b % 32);
        }
        return w;
    }

    public static boolean isSet(int[] bitmap, int bit) {
        return bit / 32 < bitmap.length && (bitmap[bit / 32] & (1 << (bit % 32))) != 0;
    }

    static Fattr decode(XdrIn in) {
        int[] bm = in.bitmap();
        byte[] vals = in.opaque();
        XdrIn v = new XdrIn(vals);
        Map<Integer, Object> m = new TreeMap<>();
        for (int bit = 0; bit < bm.length * 32; bit++) {
            if (!isSet(bm, bit)) {
                continue;
            }
            Object o = switch (bit) {
                case 0, 75 -> v.bitmap();
                case 1, 2, 10, 11, 13, 28, 29, 33, 35, 77 -> v.int32();
                case 3, 4, 20, 21, 22, 23, 27, 30, 31, 42, 43, 44, 45, 55 -> v.int64();
                case 5, 6, 7, 9, 15, 16, 17, 18, 26, 34 -> v.bool();
                case 8 -> new long[] {v.int64(), v.int64()};
                case 19 -> v.opaque();
                case 36, 37 -> v.string();
                case 41 -> new long[] {v.int32(), v.int32()};
                case 47, 51, 52, 53 -> new long[] {v.int64(), v.int32() & 0xFFFFFFFFL};
                default -> throw new IllegalStateException("attribute " + bit + " has no decoder in the test client");
            };
            m.put(bit, o);
        }
        if (v.remaining() != 0) {
            throw new IllegalStateException(v.remaining() + " bytes left after the attributes");
        }
        return new Fattr(bm, vals, m);
    }

    public boolean has(int bit) {
        return attrs.containsKey(bit);
    }

    public int type() {
        return (Integer) attrs.get(TYPE);
    }

    public long size() {
        return (Long) attrs.get(SIZE);
    }

    public long change() {
        return (Long) attrs.get(CHANGE);
    }

    public long fileid() {
        return (Long) attrs.get(FILEID);
    }

    public int mode() {
        return (Integer) attrs.get(MODE);
    }

    public int numlinks() {
        return (Integer) attrs.get(NUMLINKS);
    }

    public String owner() {
        return (String) attrs.get(OWNER);
    }

    public String ownerGroup() {
        return (String) attrs.get(OWNER_GROUP);
    }

    public int rdattrError() {
        return (Integer) attrs.get(RDATTR_ERROR);
    }
}
