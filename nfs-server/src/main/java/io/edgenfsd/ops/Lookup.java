package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** LOOKUP (RFC 8881 section 18.15): also steps from the pseudo filesystem into exports the client may see. */
public final class Lookup implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        String name = OpSupport.component(in);
        Inode dir = ctx.current();
        ctx.enter(dir);
        Inode found = ctx.onEventLoop() ? ctx.server().fs().lookupIfCached(dir, name, ctx.clientAddress()) : null;
        if (found == null) {
            ctx.mayWait(); // the directory may be read from the disk
            found = ctx.server().fs().lookup(dir, name, ctx.clientAddress());
        }
        ctx.setCurrent(found);
        ctx.setLookedUp(found);
    }
}
