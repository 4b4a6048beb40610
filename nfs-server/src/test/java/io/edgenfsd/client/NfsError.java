package io.edgenfsd.client;

import io.edgenfsd.status.NfsStatus;

/** A compound the client's convenience methods sent did not succeed. */
public final class NfsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final NfsStatus status;

    public NfsError(NfsStatus status, String message) {
        super(message);
        this.status = status;
    }

    public NfsStatus status() {
        return status;
    }
}
