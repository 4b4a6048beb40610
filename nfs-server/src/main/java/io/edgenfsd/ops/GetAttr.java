package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** GETATTR (RFC 8881 section 18.7). Reading attributes needs no permission beyond access to the export. */
public final class GetAttr implements Operation {
    /**
     * Attributes whose values may need the disk (statvfs, quotactl, the first reflink probe of a filesystem),
     * so a GETATTR asking for any of them does not run on the event loop. The rest come from one statx of
     * the object's open fd, which reads what the kernel holds in memory for an open file.
     */
    static final int[] MAY_WAIT = Attributes.bitmap(Attributes.FILES_AVAIL, Attributes.FILES_FREE,
            Attributes.FILES_TOTAL, Attributes.SPACE_AVAIL, Attributes.SPACE_FREE, Attributes.SPACE_TOTAL,
            Attributes.CLONE_BLKSIZE);

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int[] requested = in.readBitmap();
        Inode i = ctx.current();
        ctx.enter(i);
        ctx.asServer();
        if (ctx.onEventLoop() && (Attributes.anySet(requested, MAY_WAIT) || !i.isPseudo() && !i.isOpen())) {
            ctx.mayWait(); // statvfs and quotactl, the reflink probe, a reopen from the handle
        }
        Inode found = ctx.lookedUp();
        Stat st = found != null && found.resolvedStat() != null ? found.resolvedStat() : ctx.server().fs().stat(i);
        st = HolderAttrs.of(ctx, i, st, requested); // another client's write delegation: ask it (10.4.3)
        Attributes.encode(out, requested, OpSupport.source(ctx, i, st), -1);
    }
}
