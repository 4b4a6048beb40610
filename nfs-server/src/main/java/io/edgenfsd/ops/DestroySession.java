package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.Principal;
import io.edgenfsd.state.Session;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.Arrays;

/** DESTROY_SESSION (RFC 8881 section 18.37): by its client's principal, on a connection bound to it. */
public final class DestroySession implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        byte[] id = in.readFixedOpaque(16);
        Session s = ctx.server().state().session(id);
        // section 18.37.3: destroying the session this COMPOUND runs in must be its last operation
        if (ctx.session() != null && Arrays.equals(ctx.session().id(), id) && !ctx.isLastOp()) {
            throw new NfsException(NfsStatus.NOT_ONLY_OP, "DESTROY_SESSION of the COMPOUND's own session before "
                    + "its last operation");
        }
        ctx.server().state().destroySession(s, Principal.of(ctx.credentials()), ctx.connection());
    }
}
