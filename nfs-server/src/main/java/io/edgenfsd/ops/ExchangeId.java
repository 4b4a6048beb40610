package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** EXCHANGE_ID (RFC 8881 section 18.35): establishes or finds the client record. */
public final class ExchangeId implements Operation {
    static final int FLAG_SUPP_MOVED_REFER = 0x1;
    static final int FLAG_SUPP_MOVED_MIGR = 0x2;
    static final int FLAG_BIND_PRINC_STATEID = 0x100;
    static final int FLAG_USE_NON_PNFS = 0x10000;
    static final int FLAG_UPD_CONFIRMED_REC_A = 0x40000000;
    static final int FLAG_CONFIRMED_R = 0x80000000;
    static final int SP4_NONE = 0;
    static final int SP4_MACH_CRED = 1;
    static final int SP4_SSV = 2;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        byte[] verifier = in.readFixedOpaque(8);
        byte[] ownerId = in.readOpaque(1024);
        int flags = in.readInt();
        int how = in.readInt();
        if (how == SP4_MACH_CRED) {
            in.readBitmap();
            in.readBitmap();
        } else if (how == SP4_SSV) {
            throw new NfsException(NfsStatus.ENCR_ALG_UNSUPP, "SP4_SSV state protection is not supported");
        } else if (how != SP4_NONE) {
            throw new NfsException(NfsStatus.INVAL, "state_protect_how4 " + how);
        }
        int implCount = in.readArrayCount(1, 12);
        for (int i = 0; i < implCount; i++) {
            in.readString(1024);
            in.readString(1024);
            in.readLong();
            in.readInt();
        }
        if ((flags & ~(FLAG_SUPP_MOVED_REFER | FLAG_SUPP_MOVED_MIGR | FLAG_BIND_PRINC_STATEID | 0x70000
                | FLAG_UPD_CONFIRMED_REC_A)) != 0) {
            throw new NfsException(NfsStatus.INVAL, "unknown EXCHANGE_ID flags " + Integer.toHexString(flags));
        }
        StateManager.ExchangeResult r = ctx.server().state().exchangeId(ownerId, verifier,
                (flags & FLAG_UPD_CONFIRMED_REC_A) != 0);
        out.writeLong(r.client().clientId());
        out.writeInt(r.client().createSessionSeq());
        out.writeInt(FLAG_USE_NON_PNFS | (r.confirmed() ? FLAG_CONFIRMED_R : 0));
        out.writeInt(SP4_NONE);
        // server_owner4: the same major id for every instance on this host lets clients trunk sessions.
        out.writeLong(0);
        out.writeOpaque(ctx.server().serverOwner());
        out.writeOpaque(ctx.server().serverOwner());
        out.writeInt(1);
        out.writeString("edge-nfsd");
        out.writeString("edge-nfsd " + Version.VERSION);
        out.writeLong(0).writeInt(0);
    }
}
