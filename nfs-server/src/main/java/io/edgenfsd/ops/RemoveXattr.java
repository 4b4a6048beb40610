package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** REMOVEXATTR (RFC 8276 section 8.4.4): removes a {@code user.} extended attribute as the caller. */
public final class RemoveXattr implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        String name = OpSupport.component(in);
        Inode file = ctx.current();
        ctx.enterForWrite(file);
        LocalFs fs = ctx.server().fs();
        long before = fs.stat(file).change();
        fs.removeXattr(file, name);
        fs.modified(file);
        OpSupport.changeInfo(out, before, fs.stat(file).change());
    }
}
