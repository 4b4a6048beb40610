package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.ClientRecord;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** RECLAIM_COMPLETE (RFC 8881 section 18.51). */
public final class ReclaimComplete implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        boolean oneFs = in.readBool();
        ClientRecord c = ctx.client();
        if (oneFs) {
            return; // per-filesystem reclaim completion carries nothing for us: no migration
        }
        if (!ctx.server().state().reclaimComplete(c)) {
            throw new NfsException(NfsStatus.COMPLETE_ALREADY);
        }
    }
}
