package io.edgenfsd.xdr;

/** Malformed or truncated XDR (RFC 4506): the caller answers GARBAGE_ARGS or NFS4ERR_BADXDR. */
public final class XdrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XdrException(String message) {
        super(message, null, false, false);
    }
}
