package io.edgenfsd.client;

/** NFSv4.1 operation numbers and a few protocol constants (RFC 8881 section 16.2.1, 18). */
public final class Op {
    public static final int ACCESS = 3;
    public static final int CLOSE = 4;
    public static final int COMMIT = 5;
    public static final int CREATE = 6;
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
    public static final int ALLOCATE = 59;
    public static final int COPY = 60;
    public static final int CLONE = 71;
    public static final int DEALLOCATE = 62;
    public static final int OFFLOAD_CANCEL = 66;
    public static final int OFFLOAD_STATUS = 67;
    public static final int READ_PLUS = 68;
    public static final int SEEK = 69;
    public static final int GETXATTR = 72;
    public static final int SETXATTR = 73;
    public static final int LISTXATTRS = 74;
    public static final int REMOVEXATTR = 75;
    public static final int CONTENT_DATA = 0;
    public static final int CONTENT_HOLE = 1;
    public static final int ILLEGAL = 10044;

    public static final int ACCESS_READ = 1;
    public static final int ACCESS_WRITE = 2;
    public static final int ACCESS_BOTH = 3;
    /** OPEN4_SHARE_ACCESS_WANT_* (RFC 8881 section 18.16.3), or-ed into the share access. */
    public static final int WANT_READ_DELEG = 0x0100;
    public static final int WANT_NO_DELEG = 0x0400;
    public static final int DENY_NONE = 0;
    public static final int DENY_READ = 1;
    public static final int DENY_WRITE = 2;
    public static final int DENY_BOTH = 3;

    public static final int UNCHECKED = 0;
    public static final int GUARDED = 1;
    public static final int EXCLUSIVE4 = 2;
    public static final int EXCLUSIVE4_1 = 3;

    public static final int UNSTABLE = 0;
    public static final int DATA_SYNC = 1;
    public static final int FILE_SYNC = 2;

    public static final int READ_LT = 1;
    public static final int WRITE_LT = 2;
    public static final int READW_LT = 3;
    public static final int WRITEW_LT = 4;

    public static final int NF4REG = 1;
    public static final int NF4DIR = 2;
    public static final int NF4BLK = 3;
    public static final int NF4CHR = 4;
    public static final int NF4LNK = 5;
    public static final int NF4SOCK = 6;
    public static final int NF4FIFO = 7;

    public static final int ACC_READ = 0x01;
    public static final int ACC_LOOKUP = 0x02;
    public static final int ACC_MODIFY = 0x04;
    public static final int ACC_EXTEND = 0x08;
    public static final int ACC_DELETE = 0x10;
    public static final int ACC_EXECUTE = 0x20;

    private Op() {
    }
}
