package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** SECINFO_NO_NAME (RFC 8881 section 18.45): AUTH_SYS is the one flavor we serve. */
public final class SecInfoNoName implements Operation {
    private static final int SECINFO_STYLE4_PARENT = 1;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int style = in.readInt();
        if (style != 0 && style != 1) {
            throw new NfsException(NfsStatus.INVAL, "secinfo style " + style);
        }
        Inode i = ctx.current();
        ctx.enter(i);
        if (style == SECINFO_STYLE4_PARENT) {
            // the parent's flavors: the same AUTH_SYS, but the root has no parent (RFC 8881 section 18.45.3)
            ctx.server().fs().parent(i, ctx.clientAddress());
        }
        out.writeInt(1).writeInt(1);
        ctx.clearCurrent();
    }
}
