package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** LOOKUPP (RFC 8881 section 18.16). */
public final class Lookupp implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        Inode dir = ctx.current();
        ctx.enter(dir);
        ctx.setCurrent(ctx.server().fs().parent(dir, ctx.clientAddress()));
    }
}
