package io.edgenfsd.xdr;

import java.util.Arrays;

/**
 * The writable part of a decoded fattr4 (SETATTR, CREATE, OPEN). Times: null = leave alone,
 * {@link #SERVER_TIME} = set to the server's clock (SET_TO_SERVER_TIME4).
 */
public record SetAttrs(int[] bitmap, Long size, Integer mode, String owner, String ownerGroup, Long atimeNs,
                       Long mtimeNs) {
    public static final long SERVER_TIME = Long.MIN_VALUE;

    /** Thrown for a request to set an attribute we do not support or that is read-only. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public final boolean unsupported;

        Refused(boolean unsupported, String m) {
            super(m, null, false, false);
            this.unsupported = unsupported;
        }
    }

    public static SetAttrs decode(XdrDecoder in) throws Refused {
        int[] bitmap = in.readBitmap();
        int len = in.readLength(in.remaining());
        XdrDecoder vals = new XdrDecoder(in.buffer().readSlice(len));
        in.skip(XdrDecoder.pad(len) - len);
        for (int w = 0; w < bitmap.length; w++) {
            for (int b = 0; b < 32; b++) {
                if ((bitmap[w] & (1 << b)) != 0) {
                    int bit = w * 32 + b;
                    if (!Attributes.isSet(Attributes.SUPPORTED, bit)) {
                        throw new Refused(true, "attribute " + bit + " not supported");
                    }
                    if (!Attributes.isSet(Attributes.WRITABLE, bit)) {
                        throw new Refused(false, "attribute " + bit + " is read-only");
                    }
                }
            }
        }
        Long size = null;
        Integer mode = null;
        String owner = null;
        String group = null;
        Long atime = null;
        Long mtime = null;
        if (Attributes.isSet(bitmap, Attributes.SIZE)) {
            size = vals.readLong();
        }
        if (Attributes.isSet(bitmap, Attributes.MODE)) {
            mode = vals.readInt() & 07777;
        }
        if (Attributes.isSet(bitmap, Attributes.OWNER)) {
            owner = vals.readString(1024);
        }
        if (Attributes.isSet(bitmap, Attributes.OWNER_GROUP)) {
            group = vals.readString(1024);
        }
        if (Attributes.isSet(bitmap, Attributes.TIME_ACCESS_SET)) {
            atime = readSetTime(vals);
        }
        if (Attributes.isSet(bitmap, Attributes.TIME_MODIFY_SET)) {
            mtime = readSetTime(vals);
        }
        if (vals.remaining() != 0) {
            throw new XdrException("fattr4 has " + vals.remaining() + " bytes beyond its attributes");
        }
        return new SetAttrs(bitmap, size, mode, owner, group, atime, mtime);
    }

    private static long readSetTime(XdrDecoder in) {
        int how = in.readInt();
        if (how == 0) {
            return SERVER_TIME;
        }
        if (how != 1) {
            throw new XdrException("time_how4 " + how);
        }
        long sec = in.readLong();
        long nsec = in.readUInt();
        if (nsec >= 1_000_000_000L) {
            throw new XdrException("nseconds out of range");
        }
        return sec * 1_000_000_000L + nsec;
    }

    public boolean isEmpty() {
        return Arrays.stream(bitmap).allMatch(w -> w == 0);
    }
}
