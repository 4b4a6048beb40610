package io.edgenfsd.compound;

import io.edgenfsd.xdr.XdrEncoder;

import java.util.function.Consumer;

/**
 * An operation failed with an nfsstat4. Some results carry a body even on error (LOCK's LOCK4denied,
 * SETATTR's attrsset); {@link #errorBody} writes it.
 */
public final class NfsException extends Exception {
    private final NfsStatus status;
    private final transient Consumer<XdrEncoder> errorBody;

    public NfsException(NfsStatus status) {
        this(status, status.name(), null);
    }

    public NfsException(NfsStatus status, String detail) {
        this(status, detail, null);
    }

    public NfsException(NfsStatus status, String detail, Consumer<XdrEncoder> errorBody) {
        super(detail, null, false, false);
        this.status = status;
        this.errorBody = errorBody;
    }

    public NfsStatus status() {
        return status;
    }

    public Consumer<XdrEncoder> errorBody() {
        return errorBody;
    }
}
