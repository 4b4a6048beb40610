package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** FREE_STATEID (RFC 8881 section 18.38). */
public final class FreeStateid implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        io.edgenfsd.state.StateId id = io.edgenfsd.state.StateId.decode(in);
        ctx.server().state().free(ctx.resolveStateId(id), ctx.client());
    }
}
