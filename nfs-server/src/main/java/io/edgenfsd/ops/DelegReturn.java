package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.Delegation;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** DELEGRETURN (RFC 8881 section 18.6): the client gives back a delegation on the current file. */
public final class DelegReturn implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = ctx.resolveStateId(StateId.decode(in));
        Inode file = ctx.current();
        if (id.isSpecial()) {
            throw new NfsException(NfsStatus.BAD_STATEID, "special stateid");
        }
        Delegation d = ctx.server().delegations().find(id, ctx.client());
        if (d == null) {
            // an open or lock stateid, or one from before a restart (STALE_STATEID)
            ctx.server().state().find(id, ctx.client());
            throw new NfsException(NfsStatus.BAD_STATEID, "not a delegation stateid");
        }
        if (!d.file().sameInode(file.key())) {
            throw new NfsException(NfsStatus.BAD_STATEID, "delegation is for another file");
        }
        ctx.server().delegations().giveBack(d);
    }
}
