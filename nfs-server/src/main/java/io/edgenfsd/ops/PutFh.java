package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** PUTFH (RFC 8881 section 18.19). Handles are resolved with the server's identity: open_by_handle_at needs it. */
public final class PutFh implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        byte[] fh = in.readOpaque(128);
        ctx.asServer();
        Inode i = ctx.onEventLoop() ? ctx.server().fs().resolveIfOpen(fh, ctx.clientAddress()) : null;
        if (i == null) {
            ctx.mayWait(); // open_by_handle_at may read the disk
            i = ctx.server().fs().resolve(fh, ctx.clientAddress());
        }
        ctx.setCurrent(i);
    }
}
