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

/** CLOSE (RFC 8881 section 18.2). */
public final class Close implements Operation {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Close.class);

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        in.readInt(); // seqid: unused in 4.1
        StateId id = ctx.resolveStateId(StateId.decode(in));
        ctx.current();
        State st = ctx.server().state().find(id, ctx.client());
        if (!(st instanceof OpenState open)) {
            throw new NfsException(NfsStatus.BAD_STATEID, "CLOSE needs an open stateid");
        }
        StateId closed = ctx.server().state().close(open);
        LOG.debug("CLOSE {} {} -> {}", ctx.current(), id, closed);
        closed.encode(out);
        ctx.setCurrentStateId(closed);
    }
}
