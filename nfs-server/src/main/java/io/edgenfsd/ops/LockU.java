package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.LockState;
import io.edgenfsd.state.State;
import io.edgenfsd.state.StateId;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** LOCKU (RFC 8881 section 18.12). */
public final class LockU implements Operation {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LockU.class);

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int type = in.readInt();
        in.readInt(); // seqid
        StateId id = StateId.decode(in);
        long offset = in.readLong();
        long length = in.readLong();
        LockSupport.isWrite(type);
        long end = LockSupport.end(offset, length);
        ctx.current();
        State st = ctx.server().state().find(ctx.resolveStateId(id), ctx.client());
        if (!(st instanceof LockState ls)) {
            throw new NfsException(NfsStatus.BAD_STATEID, "LOCKU needs a lock stateid");
        }
        StateId result = ctx.server().state().unlock(ls, offset, end);
        LOG.debug("LOCKU [{}, +{}) {} -> {}", offset, length, id, result);
        result.encode(out);
        ctx.setCurrentStateId(result);
    }
}
