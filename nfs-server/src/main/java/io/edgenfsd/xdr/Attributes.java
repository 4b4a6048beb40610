package io.edgenfsd.xdr;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.vfs.Stat;

/**
 * fattr4 (RFC 8881 section 5): which attributes we support, and encoding of the ones a client asks for in
 * ascending bit order. Values come from an {@link AttrSource}, so this class holds no filesystem logic.
 */
public final class Attributes {
    public static final int SUPPORTED_ATTRS = 0;
    public static final int TYPE = 1;
    public static final int FH_EXPIRE_TYPE = 2;
    public static final int CHANGE = 3;
    public static final int SIZE = 4;
    public static final int LINK_SUPPORT = 5;
    public static final int SYMLINK_SUPPORT = 6;
    public static final int NAMED_ATTR = 7;
    public static final int FSID = 8;
    public static final int UNIQUE_HANDLES = 9;
    public static final int LEASE_TIME = 10;
    public static final int RDATTR_ERROR = 11;
    public static final int ACL = 12;
    public static final int ACLSUPPORT = 13;
    public static final int CANSETTIME = 15;
    public static final int CASE_INSENSITIVE = 16;
    public static final int CASE_PRESERVING = 17;
    public static final int CHOWN_RESTRICTED = 18;
    public static final int FILEHANDLE = 19;
    public static final int FILEID = 20;
    public static final int FILES_AVAIL = 21;
    public static final int FILES_FREE = 22;
    public static final int FILES_TOTAL = 23;
    public static final int HOMOGENEOUS = 26;
    public static final int MAXFILESIZE = 27;
    public static final int MAXLINK = 28;
    public static final int MAXNAME = 29;
    public static final int MAXREAD = 30;
    public static final int MAXWRITE = 31;
    public static final int MODE = 33;
    public static final int NO_TRUNC = 34;
    public static final int NUMLINKS = 35;
    public static final int OWNER = 36;
    public static final int OWNER_GROUP = 37;
    public static final int RAWDEV = 41;
    public static final int SPACE_AVAIL = 42;
    public static final int SPACE_FREE = 43;
    public static final int SPACE_TOTAL = 44;
    public static final int SPACE_USED = 45;
    public static final int TIME_ACCESS = 47;
    public static final int TIME_ACCESS_SET = 48;
    public static final int TIME_DELTA = 51;
    public static final int TIME_METADATA = 52;
    public static final int TIME_MODIFY = 53;
    public static final int TIME_MODIFY_SET = 54;
    public static final int MOUNTED_ON_FILEID = 55;
    public static final int SUPPATTR_EXCLCREAT = 75;
    /**
     * RFC 7862 section 12.2.1: the granularity of CLONE on the object's filesystem. Served only where the
     * filesystem reflinks: supported_attrs is a property of each filesystem (RFC 8881 section 5.8.1.1), and
     * one that cannot clone has no granularity to report (CLONE answers NOTSUPP there); a value of 0 would
     * claim clones of any alignment. The Linux client takes an absent clone_blksize as 0 and learns
     * NOTSUPP from its first CLONE.
     */
    public static final int CLONE_BLKSIZE = 77;
    private static final int[] CLONE_BLKSIZE_ONLY = {CLONE_BLKSIZE};
    /** RFC 7862 section 12.2.2: the space that removing the object would free. */
    public static final int SPACE_FREED = 78;
    /** RFC 7862 section 12.2.3: how the change attribute behaves (change_attr_type4). */
    public static final int CHANGE_ATTR_TYPE = 79;
    /** RFC 8276 section 8.2: the object's filesystem supports user extended attributes (4.2 ops). */
    public static final int XATTR_SUPPORT = 82;
    /** RFC 9754 section 6: which OPEN arguments the server supports (open_arguments4). */
    public static final int OPEN_ARGUMENTS = 86;
    /**
     * change_attr_type4 NFS4_CHANGE_TYPE_IS_UNDEFINED: our change is the ctime plus the modifications we
     * counted within its tick, so it goes back if the host's clock does (a Pi without a real-time clock
     * until NTP); a client told MONOTONIC_INCR would then ignore the newer attributes as older.
     */
    static final int CHANGE_TYPE_IS_UNDEFINED = 4;
    /** The attributes that exist only from NFSv4.2 on (RFC 7862 section 12.2, RFC 8276, RFC 9754). */
    private static final int[] V42_ONLY = {CLONE_BLKSIZE, SPACE_FREED, CHANGE_ATTR_TYPE, XATTR_SUPPORT, OPEN_ARGUMENTS};

    private static final int[] SUPPORTED_LIST = {SUPPORTED_ATTRS, TYPE, FH_EXPIRE_TYPE, CHANGE, SIZE, LINK_SUPPORT,
            SYMLINK_SUPPORT, NAMED_ATTR, FSID, UNIQUE_HANDLES, LEASE_TIME, RDATTR_ERROR, ACLSUPPORT, CANSETTIME,
            CASE_INSENSITIVE, CASE_PRESERVING, CHOWN_RESTRICTED, FILEHANDLE, FILEID, FILES_AVAIL, FILES_FREE,
            FILES_TOTAL, HOMOGENEOUS, MAXFILESIZE, MAXLINK, MAXNAME, MAXREAD, MAXWRITE, MODE, NO_TRUNC, NUMLINKS,
            OWNER, OWNER_GROUP, RAWDEV, SPACE_AVAIL, SPACE_FREE, SPACE_TOTAL, SPACE_USED, TIME_ACCESS,
            TIME_ACCESS_SET, TIME_DELTA, TIME_METADATA, TIME_MODIFY, TIME_MODIFY_SET, MOUNTED_ON_FILEID,
            SUPPATTR_EXCLCREAT, CLONE_BLKSIZE, SPACE_FREED, CHANGE_ATTR_TYPE, XATTR_SUPPORT, OPEN_ARGUMENTS};
    /** Everything we support at minor version 2. */
    public static final int[] SUPPORTED = bitmap(SUPPORTED_LIST);
    /**
     * At minor version 1, without the NFSv4.2 attributes: 4.1 has no extensions (RFC 8178 section 4), and
     * knfsd and the Linux client both mask 4.1's word 2 at suppattr_exclcreat.
     */
    public static final int[] SUPPORTED_41 = without(SUPPORTED, V42_ONLY);
    public static final int[] WRITABLE = bitmap(SIZE, MODE, OWNER, OWNER_GROUP, TIME_ACCESS_SET, TIME_MODIFY_SET);
    /** What EXCLUSIVE4_1 may set along with the verifier (section 5.8.1.14); the verifier lives elsewhere. */
    public static final int[] EXCLCREAT = bitmap(SIZE, MODE, OWNER, OWNER_GROUP, TIME_ACCESS_SET, TIME_MODIFY_SET);

    private Attributes() {
    }

    /** supported_attrs at {@code minorVersion} (1 or 2). */
    public static int[] supported(int minorVersion) {
        return minorVersion >= 2 ? SUPPORTED : SUPPORTED_41;
    }

    private static int[] without(int[] bitmap, int[] bits) {
        int[] r = bitmap.clone();
        for (int b : bits) {
            r[b / 32] &= ~(1 << (b % 32));
        }
        return r;
    }

    /** The order attributes are encoded in: fattr4 carries values by attribute number (RFC 8881 section 3.3). */
    static int[] encodingOrder() {
        return SUPPORTED_LIST.clone();
    }

    public static int[] bitmap(int... bits) {
        int max = 0;
        for (int b : bits) {
            max = Math.max(max, b);
        }
        int[] words = new int[max / 32 + 1];
        for (int b : bits) {
            words[b / 32] |= 1 << (b % 32);
        }
        return words;
    }

    public static boolean isSet(int[] bitmap, int bit) {
        int w = bit / 32;
        return w < bitmap.length && (bitmap[w] & (1 << (bit % 32))) != 0;
    }

    /** Whether {@code a} and {@code b} have a bit in common. */
    public static boolean anySet(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if ((a[i] & b[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    public static int[] and(int[] a, int[] b) {
        int[] r = new int[Math.min(a.length, b.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] & b[i];
        }
        return r;
    }

    /** Bits set in {@code a} but not in {@code b}. */
    public static boolean hasBitsOutside(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            int allowed = i < b.length ? b[i] : 0;
            if ((a[i] & ~allowed) != 0) {
                return true;
            }
        }
        return false;
    }

    /** Values of one object's attributes. Filesystem-wide values are computed lazily by the source. */
    public interface AttrSource {
        Stat stat();

        byte[] fileHandle();

        long fsidMajor();

        long fsidMinor();

        long mountedOnFileId();

        int leaseSeconds();

        long maxRead();

        long maxWrite();

        boolean persistentHandles();

        String owner(int uid);

        String group(int gid);

        /**
         * {files_avail, files_free, files_total, space_avail, space_free, space_total}; a failure to read
         * them is an error (never "0 bytes free").
         */
        long[] fsUsage() throws NfsException;

        /** clone_blksize of the object's filesystem, 0 where it cannot reflink (then not supported). */
        default int cloneBlksize() throws NfsException {
            return 0;
        }

        /** The COMPOUND's minor version: 4.2 attributes exist only at 2 and above. */
        default int minorVersion() {
            return 2;
        }
    }

    /** The attr_vals of fattr4 for {@code bitmap}, as bytes (VERIFY/NVERIFY compare them with the client's). */
    public static byte[] values(int[] bitmap, AttrSource src) throws NfsException {
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(256);
        try {
            encode(new XdrEncoder(buf), bitmap, src, -1);
            XdrDecoder mine = new XdrDecoder(buf);
            mine.readBitmap();
            return mine.readOpaque(buf.readableBytes());
        } finally {
            buf.release();
        }
    }

    /** Writes fattr4 for the requested attributes that we support. */
    public static void encode(XdrEncoder out, int[] requested, AttrSource src, int rdattrError)
            throws NfsException {
        Stat st = src.stat();
        long[] usage = st != null && (isSet(requested, FILES_AVAIL) || isSet(requested, FILES_FREE)
                || isSet(requested, FILES_TOTAL) || isSet(requested, SPACE_AVAIL) || isSet(requested, SPACE_FREE)
                || isSet(requested, SPACE_TOTAL)) ? src.fsUsage() : null; // before any byte is written
        int[] supported = supported(src.minorVersion());
        int cloneBlksize = 0;
        // only when the reply can show it: most GETATTRs ask for neither, and pay nothing here
        if (isSet(supported, CLONE_BLKSIZE)
                && (isSet(requested, CLONE_BLKSIZE) || isSet(requested, SUPPORTED_ATTRS))) {
            cloneBlksize = st != null ? src.cloneBlksize() : 0; // before any byte is written
            if (cloneBlksize == 0) {
                supported = without(supported, CLONE_BLKSIZE_ONLY);
            }
        }
        int[] returned = new int[SUPPORTED.length];
        int bitmapPos = out.position();
        out.writeInt(SUPPORTED.length);
        for (int i = 0; i < SUPPORTED.length; i++) {
            out.writeInt(0);
        }
        int lenPos = out.position();
        out.writeInt(0);
        // only the bits both requested and supported, lowest first: ascending attribute number as fattr4 wants
        // (RFC 8881 section 3.3), without testing each of the ~60 supported attributes on every GETATTR
        int words = Math.min(requested.length, supported.length);
        for (int w = 0; w < words; w++) {
            for (int pending = requested[w] & supported[w]; pending != 0; pending &= pending - 1) {
                int bit = w * 32 + Integer.numberOfTrailingZeros(pending);
                if (bit == RDATTR_ERROR && rdattrError < 0) {
                    continue;
                }
                if (st == null && bit != RDATTR_ERROR) {
                    continue;
                }
                returned[bit / 32] |= 1 << (bit % 32);
                switch (bit) {
                    case SUPPORTED_ATTRS -> out.writeBitmap(supported);
                    case TYPE -> out.writeInt(st.nfsType());
                    case FH_EXPIRE_TYPE -> out.writeInt(src.persistentHandles() ? 0 : 2);
                    case CHANGE -> out.writeLong(st.change());
                    case SIZE -> out.writeLong(st.size());
                    case LINK_SUPPORT, SYMLINK_SUPPORT, UNIQUE_HANDLES, CANSETTIME, CASE_PRESERVING, CHOWN_RESTRICTED,
                            HOMOGENEOUS, NO_TRUNC -> out.writeBool(true);
                    case NAMED_ATTR, CASE_INSENSITIVE -> out.writeBool(false);
                    case FSID -> out.writeLong(src.fsidMajor()).writeLong(src.fsidMinor());
                    case LEASE_TIME -> out.writeInt(src.leaseSeconds());
                    case RDATTR_ERROR -> out.writeInt(rdattrError);
                    case ACLSUPPORT -> out.writeInt(0);
                    case FILEHANDLE -> out.writeOpaque(src.fileHandle());
                    case FILEID -> out.writeLong(st.ino());
                    case FILES_AVAIL -> out.writeLong(usage[0]);
                    case FILES_FREE -> out.writeLong(usage[1]);
                    case FILES_TOTAL -> out.writeLong(usage[2]);
                    case MAXFILESIZE -> out.writeLong(Long.MAX_VALUE);
                    case MAXLINK -> out.writeInt(65000);
                    case MAXNAME -> out.writeInt(255);
                    case MAXREAD -> out.writeLong(src.maxRead());
                    case MAXWRITE -> out.writeLong(src.maxWrite());
                    case MODE -> out.writeInt(st.mode() & 07777);
                    case NUMLINKS -> out.writeInt(st.nlink());
                    case OWNER -> out.writeString(src.owner(st.uid()));
                    case OWNER_GROUP -> out.writeString(src.group(st.gid()));
                    case RAWDEV -> out.writeInt(major(st.rdev())).writeInt(minor(st.rdev()));
                    case SPACE_AVAIL -> out.writeLong(usage[3]);
                    case SPACE_FREE -> out.writeLong(usage[4]);
                    case SPACE_TOTAL -> out.writeLong(usage[5]);
                    case SPACE_USED -> out.writeLong(st.spaceUsed());
                    case TIME_ACCESS -> writeTime(out, st.atimeNs());
                    case TIME_DELTA -> out.writeLong(0).writeInt(1);
                    case TIME_METADATA -> writeTime(out, st.ctimeNs());
                    case TIME_MODIFY -> writeTime(out, st.mtimeNs());
                    case MOUNTED_ON_FILEID -> out.writeLong(src.mountedOnFileId());
                    case SUPPATTR_EXCLCREAT -> out.writeBitmap(EXCLCREAT);
                    case CLONE_BLKSIZE -> out.writeInt(cloneBlksize);
                    case SPACE_FREED -> out.writeLong(spaceFreed(st));
                    case CHANGE_ATTR_TYPE -> out.writeInt(CHANGE_TYPE_IS_UNDEFINED);
                    case XATTR_SUPPORT -> out.writeBool(true);
                    case OPEN_ARGUMENTS -> writeOpenArguments(out);
                    default -> returned[bit / 32] &= ~(1 << (bit % 32)); // write-only attributes: not returned
                }
            }
        }
        int end = out.position();
        out.setInt(lenPos, end - lenPos - 4);
        for (int i = 0; i < returned.length; i++) {
            out.setInt(bitmapPos + 4 + 4 * i, returned[i]);
        }
    }

    /**
     * space_freed: removing the last name of a file frees its blocks; removing one of several hard links
     * frees nothing (RFC 7862 section 12.2.2 leaves hard links to the server; this is what unlink does).
     */
    static long spaceFreed(Stat st) {
        return st.nlink() > 1 && !st.isDirectory() ? 0 : st.spaceUsed();
    }

    /** The bit numbers of RFC 9754's open_args_* enums that OPEN serves (section 6). */
    static final int[] OPEN_ARGS_SHARE_ACCESS = {1, 2, 3};
    static final int[] OPEN_ARGS_SHARE_DENY = {0, 1, 2, 3};
    /** ANY_DELEG, NO_DELEG, CANCEL: no signalled or pushed delegations, no delegated timestamps. */
    static final int[] OPEN_ARGS_WANT = {3, 4, 5};
    /** CLAIM_NULL, PREVIOUS, DELEGATE_CUR, FH, DELEG_CUR_FH: the PREV claims answer NOTSUPP. */
    static final int[] OPEN_ARGS_CLAIM = {0, 1, 2, 4, 5};
    static final int[] OPEN_ARGS_CREATE_MODE = {0, 1, 2, 3};

    private static void writeOpenArguments(XdrEncoder out) {
        out.writeBitmap(bitmap(OPEN_ARGS_SHARE_ACCESS));
        out.writeBitmap(bitmap(OPEN_ARGS_SHARE_DENY));
        out.writeBitmap(bitmap(OPEN_ARGS_WANT));
        out.writeBitmap(bitmap(OPEN_ARGS_CLAIM));
        out.writeBitmap(bitmap(OPEN_ARGS_CREATE_MODE));
    }

    public static void writeTime(XdrEncoder out, long ns) {
        long sec = Math.floorDiv(ns, 1_000_000_000L);
        out.writeLong(sec).writeInt((int) Math.floorMod(ns, 1_000_000_000L));
    }

    /** Linux dev_t split as glibc's gnu_dev_major/minor do. */
    public static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    public static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    public static long makedev(int major, int minor) {
        long maj = major & 0xFFFFFFFFL;
        long min = minor & 0xFFFFFFFFL;
        return ((maj & 0xfff) << 8) | ((maj & ~0xfffL) << 32) | (min & 0xff) | ((min & ~0xffL) << 12);
    }
}
