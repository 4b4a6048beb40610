package io.edgenfsd.rpc;

import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import io.edgenfsd.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Parses RPC headers (RFC 5531 section 9), rejects what we cannot serve, runs calls on the worker pool
 * and writes replies. Back-channel replies from the client are handed to their {@link RpcConnection}.
 */
public final class RpcDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);
    public static final AttributeKey<RpcConnection> CONNECTION = AttributeKey.valueOf("edge-nfsd.connection");
    /** Beyond this many calls in flight on one connection we stop reading from it (memory bound). */
    static final int MAX_IN_FLIGHT = 128;
    /** ... and beyond this many request bytes (e.g. 16 x 1 MiB WRITEs): memory per connection stays bounded. */
    static final long MAX_IN_FLIGHT_BYTES = 16L << 20;

    private final Map<Integer, RpcProgram> programs;
    private final Executor workers;

    public RpcDispatcher(Map<Integer, RpcProgram> programs, Executor workers) {
        this.programs = programs;
        this.workers = workers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        RpcConnection conn = new RpcConnection(ctx.channel());
        ctx.channel().attr(CONNECTION).set(conn);
        RpcStats.opened(conn);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        RpcConnection c = ctx.channel().attr(CONNECTION).get();
        if (c != null) {
            RpcStats.closed(c);
            c.closed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf record = (ByteBuf) msg;
        RpcConnection conn = ctx.channel().attr(CONNECTION).get();
        XdrDecoder in = new XdrDecoder(record);
        int xid;
        int type;
        try {
            xid = in.readInt();
            type = in.readInt();
        } catch (XdrException e) {
            record.release();
            log.debug("{}: record too short for an RPC header, ignored", conn);
            return;
        }
        if (type == RpcConstants.REPLY) {
            handleCallbackReply(conn, xid, in, record);
            return;
        }
        if (type != RpcConstants.CALL) {
            // RFC 5531: a message that is neither CALL nor REPLY cannot be answered; drop it.
            record.release();
            log.debug("{}: message type {} is neither CALL nor REPLY, ignored", conn, type);
            return;
        }
        RpcCall call;
        try {
            int rpcvers = in.readInt();
            if (rpcvers != RpcConstants.RPC_VERSION) {
                record.release();
                sendDenied(ctx.channel(), xid, enc -> enc.writeInt(RpcConstants.RPC_MISMATCH)
                        .writeInt(RpcConstants.RPC_VERSION).writeInt(RpcConstants.RPC_VERSION));
                return;
            }
            int prog = in.readInt();
            int vers = in.readInt();
            int proc = in.readInt();
            Credentials cred = readCredentials(in);
            int verfFlavor = in.readInt();
            in.readOpaque(RpcConstants.MAX_AUTH_BYTES);
            if (cred == null || verfFlavor != 0) {
                record.release();
                int stat = cred == null ? RpcConstants.AUTH_BADCRED : RpcConstants.AUTH_BADVERF;
                sendDenied(ctx.channel(), xid, enc -> enc.writeInt(RpcConstants.AUTH_ERROR).writeInt(stat));
                return;
            }
            call = new RpcCall(xid, prog, vers, proc, cred);
        } catch (XdrException e) {
            record.release();
            log.debug("{}: malformed call header xid {}: {}", conn, xid, e.getMessage());
            sendAccepted(ctx.channel(), xid, RpcConstants.GARBAGE_ARGS, null);
            return;
        }
        RpcProgram program = programs.get(call.program());
        if (program == null) {
            record.release();
            sendAccepted(ctx.channel(), xid, RpcConstants.PROG_UNAVAIL, null);
            return;
        }
        if (call.version() < program.lowVersion() || call.version() > program.highVersion()) {
            record.release();
            sendAccepted(ctx.channel(), xid, RpcConstants.PROG_MISMATCH,
                    enc -> enc.writeInt(program.lowVersion()).writeInt(program.highVersion()));
            return;
        }
        long size = record.readableBytes();
        if (conn.inFlight.incrementAndGet() >= MAX_IN_FLIGHT
                | conn.inFlightBytes.addAndGet(size) >= MAX_IN_FLIGHT_BYTES) {
            ctx.channel().config().setAutoRead(false);
        }
        if (program.runsInline(call, record)) {
            execute(conn, program, call, in, record, size);
            return;
        }
        try {
            workers.execute(() -> execute(conn, program, call, in, record, size));
        } catch (RejectedExecutionException e) {
            record.release();
            finished(conn, size);
            sendAccepted(ctx.channel(), xid, RpcConstants.SYSTEM_ERR, null);
        }
    }

    private void execute(RpcConnection conn, RpcProgram program, RpcCall call, XdrDecoder in, ByteBuf record,
                         long size) {
        Channel ch = conn.channel();
        ByteBuf head = ch.alloc().directBuffer(512);
        RpcReply reply = new RpcReply(head);
        XdrEncoder enc = reply.encoder();
        enc.writeInt(0).writeInt(call.xid()).writeInt(RpcConstants.REPLY).writeInt(RpcConstants.MSG_ACCEPTED)
                .writeInt(0).writeInt(0);
        int statPos = enc.position();
        enc.writeInt(RpcConstants.SUCCESS);
        int stat;
        try {
            stat = program.call(conn, call, in, reply);
        } catch (XdrException e) {
            log.debug("{}: garbage arguments in xid {}: {}", conn, call.xid(), e.getMessage());
            stat = RpcConstants.GARBAGE_ARGS;
        } catch (RuntimeException | Error e) {
            log.error("{}: internal error serving xid {}", conn, call.xid(), e);
            stat = RpcConstants.SYSTEM_ERR;
        } finally {
            record.release();
        }
        if (stat != RpcConstants.SUCCESS) {
            reply.discardRegion();
            enc.truncate(statPos);
            enc.writeInt(stat);
        }
        long total = reply.length() - 4;
        head.setInt(0, RpcConstants.LAST_FRAGMENT | (int) total);
        if (reply.hasRegion()) {
            // Head, file region and tail must leave as one unit: written together on the event loop.
            Runnable send = () -> {
                ch.write(head);
                ch.write(reply.region());
                ch.writeAndFlush(reply.tail());
            };
            if (ch.eventLoop().inEventLoop()) {
                send.run();
            } else {
                ch.eventLoop().execute(send);
            }
        } else {
            ch.writeAndFlush(head);
        }
        finished(conn, size);
    }

    private static void finished(RpcConnection conn, long size) {
        int calls = conn.inFlight.decrementAndGet();
        long bytes = conn.inFlightBytes.addAndGet(-size);
        if (calls < MAX_IN_FLIGHT / 2 && bytes < MAX_IN_FLIGHT_BYTES / 2 && !conn.channel().config().isAutoRead()) {
            conn.channel().config().setAutoRead(true);
        }
    }

    private static Credentials readCredentials(XdrDecoder in) {
        int flavor = in.readInt();
        int len = in.readLength(RpcConstants.MAX_AUTH_BYTES);
        ByteBuf body = in.buffer().readSlice(len);
        in.skip(XdrDecoder.pad(len) - len);
        switch (flavor) {
            case Credentials.AUTH_NONE:
                return Credentials.none();
            case Credentials.AUTH_SYS: {
                XdrDecoder b = new XdrDecoder(body);
                try {
                    b.readInt(); // stamp
                    String machine = b.readString(255);
                    int uid = b.readInt();
                    int gid = b.readInt();
                    int n = b.readArrayCount(16, 4);
                    int[] gids = new int[n];
                    for (int i = 0; i < n; i++) {
                        gids[i] = b.readInt();
                    }
                    return new Credentials(Credentials.AUTH_SYS, uid, gid, gids, machine);
                } catch (XdrException e) {
                    return null;
                }
            }
            default:
                return null; // RPCSEC_GSS and others: AUTH_BADCRED, the client falls back to sec=sys
        }
    }

    private void handleCallbackReply(RpcConnection conn, int xid, XdrDecoder in, ByteBuf record) {
        try {
            int replyStat = in.readInt();
            if (replyStat == RpcConstants.MSG_ACCEPTED) {
                in.readInt();
                in.readOpaque(RpcConstants.MAX_AUTH_BYTES);
                int acceptStat = in.readInt();
                if (acceptStat == RpcConstants.SUCCESS) {
                    if (conn.completeCallback(xid, record)) {
                        return;
                    }
                }
            }
            log.debug("{}: back-channel reply xid {} not successful or unexpected", conn, xid);
            conn.completeCallback(xid, record.retainedSlice(0, 0));
        } catch (XdrException e) {
            log.debug("{}: malformed back-channel reply: {}", conn, e.getMessage());
        }
        record.release();
    }

    private static void sendAccepted(Channel ch, int xid, int stat, java.util.function.Consumer<XdrEncoder> body) {
        ByteBuf buf = ch.alloc().buffer(64);
        XdrEncoder enc = new XdrEncoder(buf);
        enc.writeInt(0).writeInt(xid).writeInt(RpcConstants.REPLY).writeInt(RpcConstants.MSG_ACCEPTED)
                .writeInt(0).writeInt(0).writeInt(stat);
        if (body != null) {
            body.accept(enc);
        }
        buf.setInt(0, RpcConstants.LAST_FRAGMENT | (buf.readableBytes() - 4));
        ch.writeAndFlush(buf);
    }

    private static void sendDenied(Channel ch, int xid, java.util.function.Consumer<XdrEncoder> body) {
        ByteBuf buf = ch.alloc().buffer(64);
        XdrEncoder enc = new XdrEncoder(buf);
        enc.writeInt(0).writeInt(xid).writeInt(RpcConstants.REPLY).writeInt(RpcConstants.MSG_DENIED);
        body.accept(enc);
        buf.setInt(0, RpcConstants.LAST_FRAGMENT | (buf.readableBytes() - 4));
        ch.writeAndFlush(buf);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            log.warn("{}: {}; closing this connection", ctx.channel().remoteAddress(), cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("{}: closing connection after error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
