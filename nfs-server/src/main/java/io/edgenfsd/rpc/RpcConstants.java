package io.edgenfsd.rpc;

/** Numbers from RFC 5531. */
public final class RpcConstants {
    public static final int CALL = 0;
    public static final int REPLY = 1;
    public static final int RPC_VERSION = 2;

    public static final int MSG_ACCEPTED = 0;
    public static final int MSG_DENIED = 1;

    public static final int SUCCESS = 0;
    public static final int PROG_UNAVAIL = 1;
    public static final int PROG_MISMATCH = 2;
    public static final int PROC_UNAVAIL = 3;
    public static final int GARBAGE_ARGS = 4;
    public static final int SYSTEM_ERR = 5;
    /** Not on the wire: the program handed the rest of the call to a worker ({@link RpcReply#defer}). */
    public static final int DEFERRED = -1;

    public static final int RPC_MISMATCH = 0;
    public static final int AUTH_ERROR = 1;

    public static final int AUTH_BADCRED = 1;
    public static final int AUTH_REJECTEDCRED = 2;
    public static final int AUTH_BADVERF = 3;
    public static final int AUTH_TOOWEAK = 5;

    public static final int MAX_AUTH_BYTES = 400;
    public static final int LAST_FRAGMENT = 0x80000000;

    private RpcConstants() {
    }
}
