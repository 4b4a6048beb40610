package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** SECINFO (RFC 8881 section 18.29): AUTH_SYS is the one flavor we serve. */
public final class SecInfo implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        String name = OpSupport.component(in);
        Inode dir = ctx.current();
        ctx.enter(dir);
        ctx.server().fs().lookup(dir, name, ctx.clientAddress());
        out.writeInt(1).writeInt(1);
        ctx.clearCurrent();
    }
}
