package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.compound.OperationTable;
import io.edgenfsd.state.Principal;
import io.edgenfsd.state.Session;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** SEQUENCE (RFC 8881 section 18.46): the slot, exactly-once semantics, and lease renewal. */
public final class Sequence implements Operation {
    static final int SEQ4_STATUS_CB_PATH_DOWN = 0x1;
    static final int SEQ4_STATUS_RECALLABLE_STATE_REVOKED = 0x40;
    static final int SEQ4_STATUS_CB_PATH_DOWN_SESSION = 0x200;
    /** SEQUENCE4resok: session id, then sequence id, slot id, two highest slot ids and the status flags. */
    private static final int SEQUENCE_RESOK_BYTES = 16 + 5 * 4;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        byte[] sessionId = in.readFixedOpaque(16);
        int seq = in.readInt();
        int slotId = in.readInt();
        int highestSlot = in.readInt();
        boolean cacheThis = in.readBool();
        StateManager state = ctx.server().state();
        Session s = state.session(sessionId);
        if (ctx.opCount() > s.fore().maxOperations()) {
            // before the slot is touched: a SEQUENCE error leaves the slot as it was (section 18.46.3)
            throw new NfsException(io.edgenfsd.status.NfsStatus.TOO_MANY_OPS, ctx.opCount() + " operations");
        }
        // a reply to be cached that cannot fit even as SEQUENCE alone: refused before the slot is touched
        // (sections 18.46.3, 2.10.6.4); longer replies are checked after each further operation
        if (cacheThis && ctx.reply().length() - 4 + SEQUENCE_RESOK_BYTES > s.fore().maxResponseSizeCached()) {
            throw new NfsException(io.edgenfsd.status.NfsStatus.REP_TOO_BIG_TO_CACHE, "SEQUENCE reply does not fit "
                    + s.fore().maxResponseSizeCached() + " cached bytes");
        }
        Principal caller = Principal.of(ctx.credentials());
        state.checkMachineCredential(s.client(), OperationTable.SEQUENCE, caller, ctx.connection().remoteAddress());
        if (s.client().protection().enforces(OperationTable.BIND_CONN_TO_SESSION) && !s.isBound(ctx.connection())) {
            // connection binding enforcement: new connections come in by BIND_CONN_TO_SESSION (section 18.35.3)
            throw new NfsException(io.edgenfsd.status.NfsStatus.CONN_NOT_BOUND_TO_SESSION, "connection not bound");
        }
        StateManager.SlotDecision d = state.enterSlot(s, slotId, seq, caller);
        s.client().renew();
        if (d instanceof StateManager.Replay r) {
            ctx.setReplay(r.cachedReply());
            return;
        }
        // With SP4_NONE any connection the client uses is bound to the fore channel (section 18.34.3).
        s.bindFore(ctx.connection());
        ctx.setSession(s);
        ctx.setSlot(((StateManager.Execute) d).slot());
        ctx.setCacheThis(cacheThis);
        out.writeFixedOpaque(sessionId);
        out.writeInt(seq);
        out.writeInt(slotId);
        out.writeInt(s.slotCount() - 1);
        out.writeInt(s.slotCount() - 1);
        int flags = 0;
        if (s.callbackProgram() != 0 && s.backChannel() == null) {
            flags |= SEQ4_STATUS_CB_PATH_DOWN_SESSION | SEQ4_STATUS_CB_PATH_DOWN;
        }
        if (ctx.server().delegations().hasRevoked(s.client())) {
            flags |= SEQ4_STATUS_RECALLABLE_STATE_REVOKED; // until FREE_STATEID of each (section 18.46.3)
        }
        out.writeInt(flags);
    }
}
