package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.Principal;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** DESTROY_CLIENTID (RFC 8881 section 18.50): by its own principal, and not while it still has state. */
public final class DestroyClientId implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        ctx.server().state().destroyClient(in.readLong(), Principal.of(ctx.credentials()),
                ctx.connection().remoteAddress());
    }
}
