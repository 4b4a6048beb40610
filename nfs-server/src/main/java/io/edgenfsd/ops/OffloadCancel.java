package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * OFFLOAD_CANCEL (RFC 7862 section 15.8). Every COPY here is synchronous and hands out no callback stateid,
 * so no stateid names an asynchronous copy: NFS4ERR_BAD_STATEID, as knfsd answers for an unknown one.
 */
public final class OffloadCancel implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = StateId.decode(in);
        ctx.current();
        throw new NfsException(NfsStatus.BAD_STATEID, "no asynchronous copy " + id);
    }
}
