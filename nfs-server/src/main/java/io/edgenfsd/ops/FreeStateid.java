package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** FREE_STATEID (RFC 8881 section 18.38): lock stateids, and revoked delegations (section 8.2.4). */
public final class FreeStateid implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = ctx.resolveStateId(StateId.decode(in));
        if (!ctx.server().delegations().free(id, ctx.client())) {
            ctx.server().state().free(id, ctx.client());
        }
    }
}
