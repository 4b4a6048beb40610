package io.edgenfsd.compound;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.function.Consumer;

/** An operation failure whose result still carries a body (LOCK4denied, SETATTR's attrsset). */
public final class NfsErrorWithBody extends NfsException {
    private static final long serialVersionUID = 1L;

    private final transient Consumer<XdrEncoder> body;

    public NfsErrorWithBody(NfsStatus status, String detail, Consumer<XdrEncoder> body) {
        super(status, detail);
        this.body = body;
    }

    public void encodeBody(XdrEncoder out) {
        body.accept(out);
    }
}
