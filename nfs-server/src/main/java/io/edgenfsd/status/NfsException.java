package io.edgenfsd.status;

/**
 * An operation failed with an nfsstat4. Results that carry a body even on error (LOCK's LOCK4denied,
 * SETATTR's attrsset) use {@code compound.NfsErrorWithBody}, which knows the encoder; this leaf package
 * knows nothing else of the server.
 */
public class NfsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final NfsStatus status;

    public NfsException(NfsStatus status) {
        this(status, status.name());
    }

    public NfsException(NfsStatus status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public NfsStatus status() {
        return status;
    }
}
