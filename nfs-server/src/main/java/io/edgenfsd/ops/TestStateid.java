package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** TEST_STATEID (RFC 8881 section 18.48): open, lock and delegation stateids. */
public final class TestStateid implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int n = in.readArrayCount(1024, 16);
        java.util.List<StateId> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(StateId.decode(in));
        }
        out.writeInt(n);
        for (StateId id : ids) {
            out.writeInt(test(ctx, id).code);
        }
    }

    private static NfsStatus test(CompoundContext ctx, StateId id) throws NfsException {
        try {
            if (!id.isSpecial() && ctx.server().delegations().find(id, ctx.client()) != null) {
                return NfsStatus.OK;
            }
        } catch (NfsException e) {
            return e.status(); // DELEG_REVOKED, or another client's (BAD_STATEID)
        }
        return ctx.server().state().test(id, ctx.client());
    }
}
