package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** DESTROY_CLIENTID (RFC 8881 section 18.50): refused while the client still has sessions. */
public final class DestroyClientId implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        ctx.server().state().destroyClient(in.readLong());
    }
}
