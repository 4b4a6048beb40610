package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.Principal;
import io.edgenfsd.state.Session;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** DESTROY_SESSION (RFC 8881 section 18.37): by its client's principal, on a connection bound to it. */
public final class DestroySession implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        byte[] id = in.readFixedOpaque(16);
        Session s = ctx.server().state().session(id);
        ctx.server().state().destroySession(s, Principal.of(ctx.credentials()), ctx.connection());
    }
}
