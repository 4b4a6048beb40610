package io.edgenfsd.compound;

import java.util.HashMap;
import java.util.Map;

/** The one table of operations, by opcode (RFC 8881 section 16.2.1), as nfsd4_ops in Linux. */
public final class OperationTable {
    public static final int ACCESS = 3;
    public static final int CLOSE = 4;
    public static final int COMMIT = 5;
    public static final int CREATE = 6;
    public static final int DELEGPURGE = 7;
    public static final int DELEGRETURN = 8;
    public static final int GETATTR = 9;
    public static final int GETFH = 10;
    public static final int LINK = 11;
    public static final int LOCK = 12;
    public static final int LOCKT = 13;
    public static final int LOCKU = 14;
    public static final int LOOKUP = 15;
    public static final int LOOKUPP = 16;
    public static final int NVERIFY = 17;
    public static final int OPEN = 18;
    public static final int OPENATTR = 19;
    public static final int OPEN_DOWNGRADE = 21;
    public static final int PUTFH = 22;
    public static final int PUTPUBFH = 23;
    public static final int PUTROOTFH = 24;
    public static final int READ = 25;
    public static final int READDIR = 26;
    public static final int READLINK = 27;
    public static final int REMOVE = 28;
    public static final int RENAME = 29;
    public static final int RESTOREFH = 31;
    public static final int SAVEFH = 32;
    public static final int SECINFO = 33;
    public static final int SETATTR = 34;
    public static final int VERIFY = 37;
    public static final int WRITE = 38;
    public static final int BACKCHANNEL_CTL = 40;
    public static final int BIND_CONN_TO_SESSION = 41;
    public static final int EXCHANGE_ID = 42;
    public static final int CREATE_SESSION = 43;
    public static final int DESTROY_SESSION = 44;
    public static final int FREE_STATEID = 45;
    public static final int SECINFO_NO_NAME = 52;
    public static final int SEQUENCE = 53;
    public static final int TEST_STATEID = 55;
    public static final int DESTROY_CLIENTID = 57;
    public static final int RECLAIM_COMPLETE = 58;
    // NFSv4.2 (RFC 7862 section 11.2)
    public static final int ALLOCATE = 59;
    public static final int COPY = 60;
    public static final int DEALLOCATE = 62;
    public static final int OFFLOAD_CANCEL = 66;
    public static final int OFFLOAD_STATUS = 67;
    public static final int READ_PLUS = 68;
    public static final int SEEK = 69;
    public static final int CLONE = 71;
    // extended attributes (RFC 8276 section 8)
    public static final int GETXATTR = 72;
    public static final int SETXATTR = 73;
    public static final int LISTXATTRS = 74;
    public static final int REMOVEXATTR = 75;
    public static final int OP_ILLEGAL = 10044;
    /** Highest opcode of NFSv4.1 (RFC 8881). */
    static final int LAST_41 = RECLAIM_COMPLETE;
    /** Highest opcode of NFSv4.2 (RFC 7862); anything between 3 and this is "not supported", not illegal. */
    static final int LAST_KNOWN = 75;

    private final Map<Integer, Operation> ops = new HashMap<>();
    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        for (java.lang.reflect.Field f : OperationTable.class.getFields()) {
            if (f.getType() == int.class) {
                try {
                    NAMES.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException ignored) {
                    // public constants are always readable
                }
            }
        }
    }

    public OperationTable register(int opcode, Operation op) {
        ops.put(opcode, op);
        return this;
    }

    public Operation get(int opcode) {
        return ops.get(opcode);
    }

    /** The operation as a COMPOUND of {@code minor} sees it: 4.2's operations are not in 4.1 (RFC 7862 section 1.3). */
    public Operation get(int opcode, int minor) {
        return minor < 2 && opcode > LAST_41 ? null : ops.get(opcode);
    }

    public static boolean inRange(int opcode) {
        return opcode >= ACCESS && opcode <= LAST_KNOWN;
    }

    public static String name(int opcode) {
        return NAMES.getOrDefault(opcode, "op#" + opcode);
    }

    /** Operations that may start a compound without SEQUENCE (section 2.10.6.4). */
    static boolean allowedWithoutSequence(int opcode) {
        return opcode == EXCHANGE_ID || opcode == CREATE_SESSION || opcode == DESTROY_SESSION
                || opcode == BIND_CONN_TO_SESSION || opcode == DESTROY_CLIENTID;
    }

    /**
     * Operations that may run on the event loop, each only as far as it can without waiting (it calls
     * {@link CompoundContext#mayWait} first where it would wait): SEQUENCE (in-memory session state under
     * its slot's own monitor), the filehandle moves, PUTFH of a handle whose object is open, GETATTR of
     * attributes read by statx of a held fd, LOOKUP of a name in the dentry cache, and READ of data in the
     * page cache through a file already open. (ACCESS is not among them: the kernel's permission check may
     * read a POSIX ACL from the disk.)
     */
    static boolean mayRunOnEventLoop(int opcode) {
        return switch (opcode) {
            case SEQUENCE, GETFH, SAVEFH, RESTOREFH, PUTFH, GETATTR, LOOKUP, READ -> true;
            default -> false;
        };
    }

    static boolean mustBeOnlyOp(int opcode) {
        return allowedWithoutSequence(opcode);
    }
}
