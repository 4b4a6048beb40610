package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** PUTPUBFH (RFC 8881 section 18.20): we have no separate public filesystem, so it is the root. */
public final class PutPubFh implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        ctx.asServer();
        ctx.setCurrent(ctx.server().fs().root(ctx.clientAddress()));
    }
}
