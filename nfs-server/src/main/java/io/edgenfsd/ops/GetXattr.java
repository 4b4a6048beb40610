package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * GETXATTR (RFC 8276 section 8.4.1): a {@code user.} extended attribute's value, read with fgetxattr on an
 * fd of the object as the caller, so the kernel checks the caller's read permission.
 */
public final class GetXattr implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        String name = OpSupport.component(in);
        Inode file = ctx.current();
        ctx.enter(file);
        out.writeOpaque(ctx.server().fs().getXattr(file, name));
    }
}
