package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** GETATTR (RFC 8881 section 18.7). Reading attributes needs no permission beyond access to the export. */
public final class GetAttr implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int[] requested = in.readBitmap();
        Inode i = ctx.current();
        ctx.enter(i);
        ctx.asServer();
        Inode found = ctx.lookedUp();
        Stat st = found != null && found.resolvedStat() != null ? found.resolvedStat() : ctx.server().fs().stat(i);
        st = HolderAttrs.of(ctx, i, st, requested); // another client's write delegation: ask it (10.4.3)
        Attributes.encode(out, requested, OpSupport.source(ctx, i, st), -1);
    }
}
