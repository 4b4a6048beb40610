package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** READLINK (RFC 8881 section 18.25). */
public final class Readlink implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        Inode i = ctx.current();
        ctx.enter(i);
        out.writeString(ctx.server().fs().readlink(i));
    }
}
