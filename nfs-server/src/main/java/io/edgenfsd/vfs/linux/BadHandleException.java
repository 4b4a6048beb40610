package io.edgenfsd.vfs.linux;

/**
 * A wire file handle that this server did not issue, or that was altered: maps to NFS4ERR_BADHANDLE.
 * The reason is for logs only; never tell the client which check failed.
 */
public class BadHandleException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason { LENGTH, VERSION, MAC, TYPE }

    private final Reason reason;

    public BadHandleException(Reason reason, String message) {
        super(message, null, false, false); // no stack trace: cheap to throw on hostile input
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
