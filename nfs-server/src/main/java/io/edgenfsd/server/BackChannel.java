package io.edgenfsd.server;

import io.edgenfsd.compound.ServerContext;
import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.state.Session;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgenfsd.state.Delegation;
import io.edgenfsd.state.Delegations;
import io.edgenfsd.state.StateId;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Our calls to the client's callback service (RFC 8881 section 20) over the session's back channel:
 * CB_NULL, then CB_COMPOUND with CB_SEQUENCE, as a probe that the channel works; CB_RECALL of delegations.
 * The back channel has one slot in use (we send highest_slotid 0), so one session's CB_COMPOUNDs go one
 * after the other (section 2.10.6.1 applies to the back channel too).
 */
final class BackChannel implements ServerContext.Callbacks, Delegations.Recaller {
    private static final Logger log = LoggerFactory.getLogger(BackChannel.class);
    /** The callback program's version: 1, with the session's minor version inside CB_COMPOUND (as knfsd sends). */
    static final int CB_VERSION = 1;
    static final int CB_NULL = 0;
    static final int CB_COMPOUND = 1;
    static final int OP_CB_RECALL = 4;
    static final int OP_CB_SEQUENCE = 11;
    static final int NFS4ERR_DELAY = 10008;
    /** How often a recall is sent again when the client did not take it (no reply, or NFS4ERR_DELAY). */
    static final int RECALL_ATTEMPTS = 5;
    static final long TIMEOUT_MS = 10_000;

    /**
     * CB_NULL at once; CB_SEQUENCE a little later, because the client registers the session only after it
     * has processed our CREATE_SESSION reply and answers NFS4ERR_BADSESSION or NFS4ERR_DELAY until then.
     */
    @Override
    public void sessionCreated(Session s) {
        RpcConnection c = s.backChannel();
        if (c == null) {
            return;
        }
        c.call(s.callbackProgram(), CB_VERSION, CB_NULL, s.callbackSecurity()::encodeCredential, a -> { }, TIMEOUT_MS)
                .whenComplete((reply, err) -> {
                    if (err != null) {
                        log.warn("back channel of session {} does not answer CB_NULL: {}", s.idHex(), err.toString());
                        return;
                    }
                    reply.release();
                    probeSequence(s, c, 1);
                });
    }

    private void probeSequence(Session s, RpcConnection c, int attempt) {
        c.channel().eventLoop().schedule(() -> {
            if (s.destroyed() || !c.isOpen()) {
                return;
            }
            cbCompound(s, 0, a -> { }).whenComplete((status, err) -> {
                if (err == null && status == 0) {
                    log.debug("back channel of session {} is up", s.idHex());
                } else if (attempt < 3) {
                    probeSequence(s, c, attempt + 1);
                } else {
                    log.warn("back channel of session {}: CB_SEQUENCE failed ({})", s.idHex(),
                            err != null ? err.toString() : "status " + status);
                }
            });
        }, 2L * attempt, TimeUnit.SECONDS);
    }

    /** Per session: the tail of its queue of CB_COMPOUNDs, and a sequence id to send again. */
    private static final class CallbackSlot {
        CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
        /** Nonzero: the last CB_COMPOUND got no reply, so the next one reuses its sequence id. */
        int unanswered;
    }

    private final Map<Session, CallbackSlot> slots = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * CB_COMPOUND of CB_SEQUENCE and {@code more} further operations ({@code ops} encodes them), queued
     * behind the session's earlier ones; completes with the CB_COMPOUND status.
     */
    CompletableFuture<Integer> cbCompound(Session s, int more, Consumer<XdrEncoder> ops) {
        CallbackSlot slot = slots.computeIfAbsent(s, k -> new CallbackSlot());
        synchronized (slot) {
            CompletableFuture<Integer> call = slot.tail.handle((x, e) -> null).thenCompose(v -> send(s, slot, more, ops));
            slot.tail = call;
            return call;
        }
    }

    private static CompletableFuture<Integer> send(Session s, CallbackSlot slot, int more, Consumer<XdrEncoder> ops) {
        RpcConnection c = s.backChannel();
        if (c == null || s.destroyed()) {
            return CompletableFuture.failedFuture(new java.nio.channels.ClosedChannelException());
        }
        int seq;
        synchronized (slot) {
            seq = slot.unanswered != 0 ? slot.unanswered : s.nextCallbackSequence();
            slot.unanswered = 0;
        }
        return c.call(s.callbackProgram(), CB_VERSION, CB_COMPOUND, s.callbackSecurity()::encodeCredential,
                a -> {
                    encodeCbSequence(a, s, seq, 1 + more);
                    ops.accept(a);
                }, TIMEOUT_MS).handle((reply, err) -> {
                    if (err != null) {
                        synchronized (slot) {
                            slot.unanswered = seq;
                        }
                        throw new java.util.concurrent.CompletionException(err);
                    }
                    try {
                        return new XdrDecoder(reply).readInt();
                    } finally {
                        reply.release();
                    }
                });
    }

    /** CB_RECALL (section 20.2), sent again a few times while the client gives no answer or NFS4ERR_DELAY. */
    @Override
    public void recall(Session s, Delegation d) {
        recall(s, d, 1);
    }

    private void recall(Session s, Delegation d, int attempt) {
        StateId sid = d.stateId();
        byte[] fh = d.fileHandle();
        cbCompound(s, 1, a -> {
            a.writeInt(OP_CB_RECALL);
            sid.encode(a);
            a.writeBool(false); // truncate
            a.writeOpaque(fh);
        }).whenComplete((status, err) -> {
            if (err == null && status == 0) {
                log.debug("CB_RECALL of {} accepted", d);
                return;
            }
            String why = err != null ? err.toString() : "status " + status;
            RpcConnection c = s.backChannel();
            if (attempt < RECALL_ATTEMPTS && c != null && !d.revoked() && (err != null || status == NFS4ERR_DELAY)) {
                c.channel().eventLoop().schedule(() -> recall(s, d, attempt + 1), attempt, TimeUnit.SECONDS);
            } else {
                log.info("CB_RECALL of {} failed ({}); it is revoked a lease after the recall unless returned", d, why);
            }
        });
    }

    private static void encodeCbSequence(XdrEncoder a, Session s, int seq, int opCount) {
        a.writeInt(0); // tag
        a.writeInt(s.minorVersion()); // the session's minor version (RFC 7862 section 1.3: the back channel follows it)
        a.writeInt(0); // callback_ident (4.0 only)
        a.writeInt(opCount);
        a.writeInt(OP_CB_SEQUENCE);
        a.writeFixedOpaque(s.id());
        a.writeInt(seq).writeInt(0).writeInt(0).writeBool(false);
        a.writeInt(0); // no referring call lists
    }

}
