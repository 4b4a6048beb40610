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
 * COPY (RFC 7862 section 15.2), intra-server and synchronous: the saved filehandle's range is copied to the
 * current filehandle with copy_file_range(2), so the bytes never cross the network. Always answered
 * synchronously (an asynchronous request may be, section 15.2.3), with no callback stateid, so there are
 * no copies for OFFLOAD_STATUS or OFFLOAD_CANCEL to find. Inter-server copy is not supported.
 */
public final class Copy implements Operation {
    /** One COPY's most bytes: bounds its time; the client asks again for the rest (a short copy). */
    static final long MAX_COPY = 256L << 20;
    private static final int NL4_NAME = 1;
    private static final int NL4_URL = 2;
    private static final int NL4_NETADDR = 3;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId srcId = StateId.decode(in);
        StateId dstId = StateId.decode(in);
        long srcOffset = in.readLong();
        long dstOffset = in.readLong();
        long count = in.readLong();
        in.readBool(); // ca_consecutive: every copy here is
        in.readBool(); // ca_synchronous: every copy here is
        int sources = in.readLength(16);
        for (int i = 0; i < sources; i++) {
            skipNetloc(in);
        }
        if (sources > 0) {
            throw new NfsException(NfsStatus.NOTSUPP, "inter-server COPY");
        }
        Inode src = ctx.saved();
        Inode dst = ctx.current();
        ExportOptions opts = IoState.checkTransfer(ctx, srcId, src, dstId, dst);
        long size = ctx.server().fs().stat(src).size();
        if (srcOffset < 0 || dstOffset < 0 || srcOffset > size) {
            throw new NfsException(NfsStatus.INVAL, "source offset " + srcOffset + " beyond the end " + size);
        }
        // count 0: to the source's end (section 15.2.3)
        long want = count == 0 || count > size - srcOffset ? size - srcOffset : count;
        if (dstOffset + want < 0) {
            throw new NfsException(NfsStatus.FBIG, "destination beyond the largest file size");
        }
        long copied = ctx.server().fs().copy(src, srcOffset, dst, dstOffset, Math.min(want, MAX_COPY),
                opts.sync());
        ctx.server().fs().modified(dst);
        out.writeInt(0); // wr_callback_id: none, the copy is done
        out.writeLong(copied);
        out.writeInt(Write.FILE_SYNC); // forced on a sync export, acknowledged as stable on an async one
        out.writeFixedOpaque(ctx.server().state().bootVerifier());
        out.writeBool(true); // cr_consecutive
        out.writeBool(true); // cr_synchronous
    }

    /** netloc4 (RFC 7862 section 4.2): a name, a URL or a netaddr4. */
    private static void skipNetloc(XdrDecoder in) throws NfsException {
        int type = in.readInt();
        switch (type) {
            case NL4_NAME, NL4_URL -> in.readOpaque(1024);
            case NL4_NETADDR -> {
                in.readOpaque(1024);
                in.readOpaque(1024);
            }
            default -> throw new NfsException(NfsStatus.BADXDR, "netloc4 type " + type);
        }
    }
}
