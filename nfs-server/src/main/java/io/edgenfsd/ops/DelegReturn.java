package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** DELEGRETURN (RFC 8881 section 18.6): we never grant delegations, so no stateid names one. */
public final class DelegReturn implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        io.edgenfsd.state.StateId.decode(in);
        ctx.current();
        throw new NfsException(NfsStatus.BAD_STATEID, "no delegations are granted by this server");
    }
}
