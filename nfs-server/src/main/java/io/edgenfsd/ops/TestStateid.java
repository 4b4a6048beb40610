package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** TEST_STATEID (RFC 8881 section 18.48). */
public final class TestStateid implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int n = in.readArrayCount(1024, 16);
        java.util.List<io.edgenfsd.state.StateId> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(io.edgenfsd.state.StateId.decode(in));
        }
        out.writeInt(n);
        for (io.edgenfsd.state.StateId id : ids) {
            out.writeInt(ctx.server().state().test(id, ctx.client()).code);
        }
    }
}
