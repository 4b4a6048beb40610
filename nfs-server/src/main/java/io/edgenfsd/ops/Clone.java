package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * CLONE (RFC 7862 section 15.13): the saved filehandle's range is shared into the current filehandle's by a
 * reflink (FICLONERANGE), where the filesystem can; NFS4ERR_NOTSUPP where it cannot, so the client falls
 * back to COPY or to a copy of its own. Stateids are checked as COPY checks them.
 */
public final class Clone implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId srcId = StateId.decode(in);
        StateId dstId = StateId.decode(in);
        long srcOffset = in.readLong();
        long dstOffset = in.readLong();
        long count = in.readLong();
        Inode src = ctx.saved();
        Inode dst = ctx.current();
        ExportOptions opts = IoState.checkTransfer(ctx, srcId, src, dstId, dst);
        long size = ctx.server().fs().stat(src).size();
        // offsets are unsigned in XDR: above 2^63 they read as negative here, and are beyond any file
        if (srcOffset < 0 || dstOffset < 0 || count < 0 || srcOffset > size || count > size - srcOffset) {
            throw new NfsException(NfsStatus.INVAL, "source range beyond the end " + size); // section 15.13.3
        }
        long length = count == 0 ? size - srcOffset : count; // count 0: to the source's end (section 15.13.3)
        if (dstOffset + length < 0) {
            throw new NfsException(NfsStatus.FBIG, "destination beyond the largest file size");
        }
        if (src.key().dev() != dst.key().dev()) {
            throw new NfsException(NfsStatus.XDEV, "source and destination on different filesystems");
        }
        int bs = ctx.server().fs().cloneBlockSize(src);
        if (bs == 0) {
            throw new NfsException(NfsStatus.NOTSUPP, "the filesystem cannot reflink");
        }
        // alignment to clone_blksize; a length that ends at the source's end may be partial (section 15.13.3)
        if (srcOffset % bs != 0 || dstOffset % bs != 0 || (length % bs != 0 && srcOffset + length != size)) {
            throw new NfsException(NfsStatus.INVAL, "range not aligned to clone_blksize " + bs);
        }
        if (src.key().equals(dst.key()) && srcOffset < dstOffset + length && dstOffset < srcOffset + length) {
            throw new NfsException(NfsStatus.INVAL, "overlapping ranges of one file");
        }
        if (length > 0) {
            ctx.server().fs().clone(src, srcOffset, dst, dstOffset, length, opts.sync());
            ctx.server().fs().modified(dst);
        }
    }
}
