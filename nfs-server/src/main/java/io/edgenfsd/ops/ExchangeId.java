package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.compound.OperationTable;
import io.edgenfsd.state.Principal;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.state.StateProtection;
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

    /** Operations whose credential we check when the client asks (spo_must_enforce; section 18.35.3). */
    static final int[] ENFORCEABLE = opBitmap(OperationTable.EXCHANGE_ID, OperationTable.CREATE_SESSION,
            OperationTable.DESTROY_SESSION, OperationTable.BIND_CONN_TO_SESSION, OperationTable.DESTROY_CLIENTID,
            OperationTable.SEQUENCE, OperationTable.RECLAIM_COMPLETE, OperationTable.CLOSE,
            OperationTable.OPEN_DOWNGRADE, OperationTable.LOCKU, OperationTable.FREE_STATEID,
            OperationTable.TEST_STATEID, OperationTable.DELEGRETURN);
    /**
     * Operations the machine credential may always do (spo_must_allow): we bind no stateid to a principal,
     * so these are allowed to it anyway; we confirm the state-releasing ones a client may ask for.
     */
    static final int[] ALLOWABLE = opBitmap(OperationTable.CLOSE, OperationTable.OPEN_DOWNGRADE,
            OperationTable.LOCKU, OperationTable.DELEGRETURN, OperationTable.TEST_STATEID,
            OperationTable.FREE_STATEID);

    static int[] opBitmap(int... opcodes) {
        int[] b = new int[2];
        for (int op : opcodes) {
            b[op >>> 5] |= 1 << (op & 31);
        }
        return b;
    }

    /** What the client asked for, of what we offer; trailing zero words dropped. */
    static int[] grantable(int[] asked, int[] offered) {
        int n = Math.min(asked.length, offered.length);
        int[] b = new int[n];
        for (int i = 0; i < n; i++) {
            b[i] = asked[i] & offered[i];
        }
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return java.util.Arrays.copyOf(b, n);
    }

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        byte[] verifier = in.readFixedOpaque(8);
        byte[] ownerId = in.readOpaque(1024);
        int flags = in.readInt();
        int how = in.readInt();
        int[] enforce = new int[0];
        int[] allow = new int[0];
        if (how == SP4_MACH_CRED) {
            enforce = in.readBitmap();
            allow = in.readBitmap();
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
        Principal caller = Principal.of(ctx.credentials());
        StateProtection protection = StateProtection.NONE;
        if (how == SP4_MACH_CRED) {
            if (caller.isAnonymous()) {
                // the machine credential is the principal of this call: AUTH_NONE names no one (section 18.35.3)
                throw new NfsException(NfsStatus.INVAL, "SP4_MACH_CRED needs a credential that names the machine");
            }
            protection = new StateProtection(SP4_MACH_CRED, grantable(enforce, ENFORCEABLE),
                    grantable(allow, ALLOWABLE));
        }
        StateManager.ExchangeResult r = ctx.server().state().exchangeId(ownerId, verifier,
                (flags & FLAG_UPD_CONFIRMED_REC_A) != 0, caller, protection, ctx.connection().remoteAddress());
        out.writeLong(r.client().clientId());
        out.writeInt(r.client().createSessionSeq());
        out.writeInt(FLAG_USE_NON_PNFS | (r.confirmed() ? FLAG_CONFIRMED_R : 0));
        StateProtection granted = r.client().protection();
        out.writeInt(granted.how());
        if (granted.machineCredential()) {
            out.writeBitmap(granted.mustEnforce());
            out.writeBitmap(granted.mustAllow());
        }
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
