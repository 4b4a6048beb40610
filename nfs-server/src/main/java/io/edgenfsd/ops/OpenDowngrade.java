package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.State;
import io.edgenfsd.state.StateId;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** OPEN_DOWNGRADE (RFC 8881 section 18.18). */
public final class OpenDowngrade implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = ctx.resolveStateId(StateId.decode(in));
        in.readInt(); // seqid
        int access = in.readInt() & 0xFF;
        int deny = in.readInt();
        ctx.current();
        State st = ctx.server().state().find(id, ctx.client());
        if (!(st instanceof OpenState open)) {
            throw new NfsException(NfsStatus.BAD_STATEID, "OPEN_DOWNGRADE needs an open stateid");
        }
        StateId result = ctx.server().state().downgrade(open, access, deny);
        result.encode(out);
        ctx.setCurrentStateId(result);
    }
}
