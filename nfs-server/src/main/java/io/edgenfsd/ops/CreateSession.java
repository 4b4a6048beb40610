package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.CompoundProcessor;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.CallbackSecurity;
import io.edgenfsd.state.ChannelAttrs;
import io.edgenfsd.state.Principal;
import io.edgenfsd.state.Session;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** CREATE_SESSION (RFC 8881 section 18.36): confirms the client and negotiates channel sizes. */
public final class CreateSession implements Operation {
    static final int FLAG_PERSIST = 0x1;
    static final int FLAG_CONN_BACK_CHAN = 0x2;
    static final int FLAG_CONN_RDMA = 0x4;
    /** A READ or WRITE of maxread/maxwrite plus room for the rest of the compound. */
    static final int HEADROOM = 8192;
    /**
     * Smallest channel sizes we accept (NFS4ERR_TOOSMALL below, section 18.36.3): a fore channel must carry
     * an RPC header with a SEQUENCE compound each way; a back channel our CB_COMPOUND with CB_SEQUENCE and
     * one more operation.
     */
    static final int MIN_FORE_REQUEST = 164;
    static final int MIN_FORE_RESPONSE = 76;
    static final int MIN_BACK_REQUEST = 128;
    static final int MIN_BACK_RESPONSE = 64;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        long clientId = in.readLong();
        int seq = in.readInt();
        int flags = in.readInt();
        ChannelAttrs foreReq = ChannelAttrs.decode(in);
        ChannelAttrs backReq = ChannelAttrs.decode(in);
        int cbProgram = in.readInt();
        CallbackSecurity sec = decodeSecParms(in);
        if ((flags & ~(FLAG_PERSIST | FLAG_CONN_BACK_CHAN | FLAG_CONN_RDMA)) != 0) {
            throw new NfsException(NfsStatus.INVAL, "unknown CREATE_SESSION flags " + Integer.toHexString(flags));
        }
        if (below(foreReq.maxRequestSize(), MIN_FORE_REQUEST) || below(foreReq.maxResponseSize(), MIN_FORE_RESPONSE)
                || below(backReq.maxRequestSize(), MIN_BACK_REQUEST)
                || below(backReq.maxResponseSize(), MIN_BACK_RESPONSE) || below(backReq.maxOperations(), 2)) {
            throw new NfsException(NfsStatus.TOOSMALL, "channel attributes too small: fore " + foreReq + " back "
                    + backReq);
        }
        StateManager state = ctx.server().state();
        int maxIo = Math.max(ctx.server().maxRead(), ctx.server().maxWrite()) + HEADROOM;
        byte[] reply = state.createSession(clientId, seq, Principal.of(ctx.credentials()),
                ctx.connection().remoteAddress(), client -> {
            ChannelAttrs fore = new ChannelAttrs(0, min(foreReq.maxRequestSize(), maxIo),
                    min(foreReq.maxResponseSize(), maxIo), min(foreReq.maxResponseSizeCached(), CompoundProcessor.MAX_CACHED_REPLY),
                    Math.max(2, min(foreReq.maxOperations(), 64)),
                    Math.max(1, min(foreReq.maxRequests(), StateManager.MAX_SLOTS)));
            ChannelAttrs back = new ChannelAttrs(0, min(backReq.maxRequestSize(), 16384),
                    min(backReq.maxResponseSize(), 16384), 0, Math.max(2, min(backReq.maxOperations(), 8)),
                    1);
            Session s = state.newSession(client, fore, back, cbProgram, sec);
            s.minorVersion(ctx.minorVersion());
            s.bindFore(ctx.connection());
            boolean backChan = (flags & FLAG_CONN_BACK_CHAN) != 0;
            if (backChan) {
                s.bindBack(ctx.connection());
            }
            ByteBuf b = Unpooled.buffer(128);
            XdrEncoder enc = new XdrEncoder(b);
            enc.writeFixedOpaque(s.id());
            enc.writeInt(seq);
            enc.writeInt(backChan ? FLAG_CONN_BACK_CHAN : 0);
            s.fore().encode(enc); // what the reply cache budget granted, maybe less than fore
            back.encode(enc);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            ctx.server().callbacks().sessionCreated(s);
            return bytes;
        });
        out.buffer().writeBytes(reply);
    }

    private static boolean below(int requested, int min) {
        return Integer.compareUnsigned(requested, min) < 0;
    }

    private static int min(int requested, int max) {
        return Integer.compareUnsigned(requested, max) > 0 ? max : requested;
    }

    /** callback_sec_parms4<> of CREATE_SESSION and BACKCHANNEL_CTL: the last AUTH_SYS, else AUTH_NONE. */
    static CallbackSecurity decodeSecParms(XdrDecoder in) throws NfsException {
        int nsec = in.readArrayCount(16, 4);
        CallbackSecurity cbSec = null;
        for (int i = 0; i < nsec; i++) {
            int flavor = in.readInt();
            if (flavor == 0) {
                if (cbSec == null) {
                    cbSec = CallbackSecurity.NONE;
                }
            } else if (flavor == 1) {
                in.readInt();
                String machine = in.readString(255);
                int uid = in.readInt();
                int gid = in.readInt();
                int ng = in.readArrayCount(16, 4);
                for (int g = 0; g < ng; g++) {
                    in.readInt();
                }
                cbSec = new CallbackSecurity(1, uid, gid, machine);
            } else if (flavor == 6) {
                in.readInt();
                in.readOpaque(65536);
                in.readOpaque(65536);
            } else {
                throw new io.edgenfsd.xdr.XdrException("callback security flavor " + flavor);
            }
        }
        return cbSec == null ? CallbackSecurity.NONE : cbSec;
    }
}
