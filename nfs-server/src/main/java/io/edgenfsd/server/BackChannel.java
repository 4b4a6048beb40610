package io.edgenfsd.server;

import io.edgenfsd.compound.ServerContext;
import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.state.Session;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Our calls to the client's callback service (RFC 8881 section 20) over the session's back channel:
 * CB_NULL, then CB_COMPOUND with CB_SEQUENCE, as a probe that the channel works. We grant no delegations,
 * so nothing else is ever recalled.
 */
final class BackChannel implements ServerContext.Callbacks {
    private static final Logger log = LoggerFactory.getLogger(BackChannel.class);
    /** The callback program's version: 1, with the minor version inside CB_COMPOUND (as knfsd sends). */
    static final int CB_VERSION = 1;
    static final int CB_NULL = 0;
    static final int CB_COMPOUND = 1;
    static final int OP_CB_SEQUENCE = 11;
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

    private static void probeSequence(Session s, RpcConnection c, int attempt) {
        c.channel().eventLoop().schedule(() -> {
            if (s.destroyed() || !c.isOpen()) {
                return;
            }
            cbSequence(s, c).whenComplete((status, err) -> {
                if (err == null && status == 0) {
                    log.debug("back channel of session {} is up", s.idHex());
                } else if (attempt < 3) {
                    probeSequence(s, c, attempt + 1);
                } else {
                    log.warn("back channel of session {}: CB_SEQUENCE failed ({})", s.idHex(),
                            err != null ? err.toString() : "status " + status);
                }
            });
        }, 2L * attempt, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static CompletableFuture<Integer> cbSequence(Session s, RpcConnection c) {
        int seq = s.nextCallbackSequence();
        return c.call(s.callbackProgram(), CB_VERSION, CB_COMPOUND, s.callbackSecurity()::encodeCredential,
                a -> encodeCbSequence(a, s, seq), TIMEOUT_MS).thenApply(reply -> {
                    try {
                        return new XdrDecoder(reply).readInt();
                    } finally {
                        reply.release();
                    }
                });
    }

    private static void encodeCbSequence(XdrEncoder a, Session s, int seq) {
        a.writeInt(0); // tag
        a.writeInt(1); // minorversion
        a.writeInt(0); // callback_ident (4.0 only)
        a.writeInt(1); // one operation
        a.writeInt(OP_CB_SEQUENCE);
        a.writeFixedOpaque(s.id());
        a.writeInt(seq).writeInt(0).writeInt(0).writeBool(false);
        a.writeInt(0); // no referring call lists
    }

}
