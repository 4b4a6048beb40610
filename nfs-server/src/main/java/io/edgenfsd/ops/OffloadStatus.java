package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * OFFLOAD_STATUS (RFC 7862 section 15.9). Every COPY here is synchronous and hands out no callback stateid,
 * so no stateid names an asynchronous copy: NFS4ERR_BAD_STATEID, as knfsd answers for an unknown one.
 */
public final class OffloadStatus implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        throw noSuchCopy(ctx, in);
    }

    /** OFFLOAD_STATUS's and OFFLOAD_CANCEL's answer: the stateid names no asynchronous copy. */
    static NfsException noSuchCopy(CompoundContext ctx, XdrDecoder in) throws NfsException {
        StateId id = StateId.decode(in);
        ctx.current();
        return new NfsException(NfsStatus.BAD_STATEID, "no asynchronous copy " + id);
    }
}
