package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * ALLOCATE (RFC 7862 section 15.1): reserves the blocks of a byte range, growing the file to cover it, with
 * fallocate(2). The stateid is checked as WRITE's (section 15.1.3); a sync export makes it durable first.
 */
public final class Allocate implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = StateId.decode(in);
        long offset = in.readLong();
        long length = in.readLong();
        change(ctx, id, offset, length, false);
    }

    /** ALLOCATE's and DEALLOCATE's shared checks, then fallocate(2) with or without punching a hole. */
    static void change(CompoundContext ctx, StateId id, long offset, long length, boolean punchHole)
            throws NfsException {
        Inode file = ctx.current();
        ExportOptions opts = ctx.enterForWrite(file);
        OpSupport.requireRegular(ctx.server().fs().type(file));
        if (length == 0) {
            throw new NfsException(NfsStatus.INVAL, "zero-length range"); // fallocate's EINVAL; knfsd alike
        }
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new NfsException(NfsStatus.FBIG, "range beyond the largest file size");
        }
        OpenState open = IoState.check(ctx, id, file, true);
        if (open == null) {
            ctx.server().fs().checkAccess(file, LocalFs.W_OK); // anonymous stateid: the file's permissions
        }
        ctx.server().fs().allocate(file, offset, length, punchHole, opts.sync());
        ctx.server().fs().modified(file);
    }
}
