package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * VERIFY and NVERIFY (RFC 8881 sections 18.31, 18.15): compare the client's fattr4 with ours, byte for
 * byte, as the spec defines equality.
 */
public final class Verify implements Operation {
    private final boolean negate;

    public Verify(boolean negate) {
        this.negate = negate;
    }

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int[] bitmap = in.readBitmap();
        byte[] theirs = in.readOpaque(in.remaining());
        if (Attributes.isSet(bitmap, Attributes.RDATTR_ERROR)) {
            throw new NfsException(NfsStatus.INVAL, "rdattr_error cannot be verified");
        }
        if (Attributes.hasBitsOutside(bitmap, Attributes.supported(ctx.minorVersion()))) {
            throw new NfsException(NfsStatus.ATTRNOTSUPP);
        }
        Inode i = ctx.current();
        ctx.enter(i);
        ctx.asServer();
        byte[] ours = Attributes.values(bitmap, OpSupport.source(ctx, i, ctx.server().fs().stat(i)));
        boolean same = java.util.Arrays.equals(ours, theirs);
        if (negate && same) {
            throw new NfsException(NfsStatus.SAME);
        }
        if (!negate && !same) {
            throw new NfsException(NfsStatus.NOT_SAME);
        }
    }
}
