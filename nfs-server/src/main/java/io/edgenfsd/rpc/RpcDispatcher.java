package io.edgenfsd.rpc;

import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import io.edgenfsd.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Parses RPC headers (RFC 5531 section 9), rejects what we cannot serve, runs calls on the worker pool
 * and writes replies. Back-channel replies from the client are handed to their {@link RpcConnection}.
 */
public final class RpcDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);
    private static final RateLimitedLog badCredentials = new RateLimitedLog(log, 10_000);
    private static final RateLimitedLog strayReplies = new RateLimitedLog(log, 10_000);
    private static final RateLimitedLog connectionErrors = new RateLimitedLog(log, 10_000);
    private static final RateLimitedLog internalErrors = new RateLimitedLog(log, 10_000);
    private static final RateLimitedLog timeoutLog = new RateLimitedLog(log, 10_000);
    public static final AttributeKey<RpcConnection> CONNECTION = AttributeKey.valueOf("edge-nfsd.connection");

    private final Map<Integer, RpcProgram> programs;
    private final Executor workers;
    private final InflightBudget budget;
    private final long maxHeldPerConnection;
    private final Timeouts timeouts;

    /**
     * How long a connection may be idle (nothing read or written, and nothing keeping it open, see {@link
     * RpcConnection#keepOpenWhile}) and how long one record may take to arrive.
     */
    public record Timeouts(Duration idle, Duration record) {
        long tickMillis() {
            return Math.max(50, Math.min(idle.toMillis(), record.toMillis()) / 4);
        }
    }

    /** A dispatcher outside any memory budget (in-process benchmarks). */
    public RpcDispatcher(Map<Integer, RpcProgram> programs, Executor workers) {
        this(programs, workers, new InflightBudget(Long.MAX_VALUE), Long.MAX_VALUE, null);
    }

    public RpcDispatcher(Map<Integer, RpcProgram> programs, Executor workers, InflightBudget budget,
                         long maxHeldPerConnection, Timeouts timeouts) {
        this.programs = programs;
        this.workers = workers;
        this.budget = budget;
        this.maxHeldPerConnection = maxHeldPerConnection;
        this.timeouts = timeouts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        RpcConnection conn = new RpcConnection(ch, budget, maxHeldPerConnection);
        ch.attr(CONNECTION).set(conn);
        if (timeouts != null) {
            long idle = timeouts.idle().toNanos();
            long record = timeouts.record().toNanos();
            long tick = timeouts.tickMillis();
            ScheduledFuture<?> check = ch.eventLoop().scheduleAtFixedRate(() -> {
                String why = conn.checkTimeouts(idle, record);
                if (why != null && ch.isActive()) {
                    timeoutLog.warn("{}: closing the connection: {}", conn, why);
                    ch.close();
                }
            }, tick, tick, TimeUnit.MILLISECONDS);
            ch.closeFuture().addListener(f -> check.cancel(false));
        }
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
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        RpcConnection c = ctx.channel().attr(CONNECTION).get();
        if (c != null) {
            // replies not drained: stop reading requests until the socket has taken them (low water mark)
            c.writabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * One record, whose {@code readableBytes()} the decoder reserved in the budget: given back here when the
     * call has run (or at once when the record gets no call).
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf record = (ByteBuf) msg;
        RpcConnection conn = ctx.channel().attr(CONNECTION).get();
        long size = record.readableBytes();
        XdrDecoder in = new XdrDecoder(record);
        int xid;
        int type;
        try {
            xid = in.readInt();
            type = in.readInt();
        } catch (XdrException e) {
            drop(conn, record, size);
            log.debug("{}: record too short for an RPC header, ignored", conn);
            return;
        }
        if (type == RpcConstants.REPLY) {
            handleCallbackReply(conn, xid, in, record);
            conn.release(size);
            return;
        }
        if (type != RpcConstants.CALL) {
            // RFC 5531: a message that is neither CALL nor REPLY cannot be answered; drop it.
            drop(conn, record, size);
            log.debug("{}: message type {} is neither CALL nor REPLY, ignored", conn, type);
            return;
        }
        conn.callStarted();
        RpcCall call;
        try {
            int rpcvers = in.readInt();
            if (rpcvers != RpcConstants.RPC_VERSION) {
                drop(conn, record, size);
                sendDenied(conn, xid, enc -> enc.writeInt(RpcConstants.RPC_MISMATCH)
                        .writeInt(RpcConstants.RPC_VERSION).writeInt(RpcConstants.RPC_VERSION));
                return;
            }
            int prog = in.readInt();
            int vers = in.readInt();
            int proc = in.readInt();
            Credentials cred = readCredentials(conn, xid, in);
            if (cred == null) {
                drop(conn, record, size);
                sendDenied(conn, xid, enc -> enc.writeInt(RpcConstants.AUTH_ERROR).writeInt(RpcConstants.AUTH_BADCRED));
                return;
            }
            int verfFlavor = in.readInt();
            in.readOpaque(RpcConstants.MAX_AUTH_BYTES);
            if (verfFlavor != 0) {
                drop(conn, record, size);
                sendDenied(conn, xid, enc -> enc.writeInt(RpcConstants.AUTH_ERROR).writeInt(RpcConstants.AUTH_BADVERF));
                return;
            }
            call = new RpcCall(xid, prog, vers, proc, cred);
        } catch (XdrException e) {
            drop(conn, record, size);
            log.debug("{}: malformed call header xid {}: {}", conn, xid, e.getMessage());
            sendAccepted(conn, xid, RpcConstants.GARBAGE_ARGS, null);
            return;
        }
        RpcProgram program = programs.get(call.program());
        if (program == null) {
            drop(conn, record, size);
            sendAccepted(conn, xid, RpcConstants.PROG_UNAVAIL, null);
            return;
        }
        if (call.version() < program.lowVersion() || call.version() > program.highVersion()) {
            drop(conn, record, size);
            sendAccepted(conn, xid, RpcConstants.PROG_MISMATCH,
                    enc -> enc.writeInt(program.lowVersion()).writeInt(program.highVersion()));
            return;
        }
        // the reply's bytes are reserved before the call runs: a 140-byte READ may build a 1 MiB reply
        long estimate = program.replyEstimate(call, record);
        Runnable dispatch = () -> dispatch(conn, program, call, in, record, size, estimate);
        if (conn.reserve(estimate, size)) {
            dispatch.run();
        } else {
            conn.park(estimate, size, dispatch, () -> {
                drop(conn, record, size);
                conn.callDone();
            });
        }
    }

    private static void drop(RpcConnection conn, ByteBuf record, long size) {
        record.release();
        conn.release(size);
    }

    private void dispatch(RpcConnection conn, RpcProgram program, RpcCall call, XdrDecoder in, ByteBuf record,
                          long size, long estimate) {
        if (program.runsInline(call, record)) {
            execute(conn, program, call, in, record, size, estimate);
            return;
        }
        LoopSpin spin = LoopSpin.current();
        if (spin != null) {
            spin.handedOff();
        }
        try {
            workers.execute(() -> {
                try {
                    execute(conn, program, call, in, record, size, estimate);
                } finally {
                    if (spin != null) {
                        spin.returned(); // the reply is queued to the loop (or the call failed)
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            if (spin != null) {
                spin.returned();
            }
            drop(conn, record, size);
            conn.release(estimate);
            sendAccepted(conn, call.xid(), RpcConstants.SYSTEM_ERR, null);
        }
    }

    private void execute(RpcConnection conn, RpcProgram program, RpcCall call, XdrDecoder in, ByteBuf record,
                         long size, long estimate) {
        Channel ch = conn.channel();
        ByteBuf head = ch.alloc().directBuffer(512);
        RpcReply reply = new RpcReply(head);
        XdrEncoder enc = reply.encoder();
        enc.writeInt(0).writeInt(call.xid()).writeInt(RpcConstants.REPLY).writeInt(RpcConstants.MSG_ACCEPTED)
                .writeInt(0).writeInt(0);
        int statPos = enc.position();
        enc.writeInt(RpcConstants.SUCCESS);
        reply.onEventLoop(ch.eventLoop().inEventLoop());
        int stat = run(conn, call, () -> program.call(conn, call, in, reply));
        if (stat == RpcConstants.DEFERRED) {
            // the call started on the loop and its next step may wait: a worker runs the rest
            RpcReply.Continuation rest = reply.takeContinuation();
            Runnable onWorker = () -> {
                int s = run(conn, call, rest::resume);
                if (s == RpcConstants.DEFERRED) { // a program bug: a worker has nowhere to hand it
                    internalErrors.warn("{}: xid {} deferred on a worker; answered SYSTEM_ERR", conn, call.xid());
                    s = RpcConstants.SYSTEM_ERR;
                }
                finish(conn, reply, statPos, s, record, size, estimate);
            };
            try {
                workers.execute(onWorker);
            } catch (RejectedExecutionException e) {
                // shutting down: the rest would run nowhere; a worker's state (a slot in use) stays as is
                finish(conn, reply, statPos, RpcConstants.SYSTEM_ERR, record, size, estimate);
            }
            return;
        }
        finish(conn, reply, statPos, stat, record, size, estimate);
    }

    private interface Step {
        int run();
    }

    /** Runs (part of) a call; a program's exception becomes the accept_stat it deserves. */
    private static int run(RpcConnection conn, RpcCall call, Step step) {
        try {
            return step.run();
        } catch (XdrException e) {
            log.debug("{}: garbage arguments in xid {}: {}", conn, call.xid(), e.getMessage());
            return RpcConstants.GARBAGE_ARGS;
        } catch (RuntimeException | Error e) {
            internalErrors.warn("{}: internal error serving xid {}; answered SYSTEM_ERR", conn, call.xid(), e);
            return RpcConstants.SYSTEM_ERR;
        }
    }

    /** Releases the request, completes the reply's header and sends it. */
    private void finish(RpcConnection conn, RpcReply reply, int statPos, int stat, ByteBuf record, long size,
                        long estimate) {
        drop(conn, record, size);
        Channel ch = conn.channel();
        ByteBuf head = reply.head();
        XdrEncoder enc = new XdrEncoder(head);
        if (stat != RpcConstants.SUCCESS) {
            reply.discardRegion();
            enc.truncate(statPos);
            enc.writeInt(stat);
        }
        long length = reply.length();
        head.setInt(0, RpcConstants.LAST_FRAGMENT | (int) (length - 4));
        // from the estimate to what was built; counted until the socket has taken it
        if (length > estimate) {
            conn.forceReserve(length - estimate);
        } else {
            conn.release(estimate - length);
        }
        ChannelFutureListener written = f -> {
            conn.activity();
            conn.release(length);
            conn.callDone();
        };
        if (reply.hasRegion()) {
            // Head, file region and tail must leave as one unit: written together on the event loop.
            Runnable send = () -> {
                ch.write(head);
                ch.write(reply.region());
                ch.writeAndFlush(reply.tail()).addListener(written);
            };
            if (ch.eventLoop().inEventLoop()) {
                send.run();
            } else {
                ch.eventLoop().execute(send);
            }
        } else {
            ch.writeAndFlush(head).addListener(written);
        }
    }

    /** The credential (RFC 5531 section 8.2), or null when its flavor is not served or its body is malformed. */
    private static Credentials readCredentials(RpcConnection conn, int xid, XdrDecoder in) {
        int flavor = in.readInt();
        ByteBuf body;
        try {
            body = in.readOpaqueSlice(RpcConstants.MAX_AUTH_BYTES);
        } catch (XdrException e) {
            badCredentials.warn("{}: credential of xid {} is malformed ({}); answered AUTH_BADCRED", conn, xid,
                    e.getMessage());
            return null;
        }
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
                    badCredentials.warn("{}: AUTH_SYS credential of xid {} is malformed ({}); answered "
                            + "AUTH_BADCRED", conn, xid, e.getMessage());
                    return null;
                }
            }
            default:
                // RPCSEC_GSS and others: AUTH_BADCRED, the client falls back to sec=sys
                log.debug("{}: credential flavor {} not served", conn, flavor);
                return null;
        }
    }

    /** A REPLY to one of our back-channel calls; the caller gives the record's budget back. */
    private void handleCallbackReply(RpcConnection conn, int xid, XdrDecoder in, ByteBuf record) {
        String problem;
        try {
            int replyStat = in.readInt();
            if (replyStat == RpcConstants.MSG_ACCEPTED) {
                in.readInt();
                in.readOpaque(RpcConstants.MAX_AUTH_BYTES);
                int acceptStat = in.readInt();
                if (acceptStat == RpcConstants.SUCCESS) {
                    if (conn.completeCallback(xid, record)) {
                        return; // the record is the caller's now
                    }
                    problem = "matches no call of ours";
                } else {
                    problem = "accept_stat " + acceptStat;
                }
            } else {
                problem = "denied";
            }
        } catch (XdrException e) {
            problem = "malformed: " + e.getMessage();
        }
        record.release();
        if (!conn.failCallback(xid, new IOException("back-channel reply " + problem))) {
            strayReplies.warn("{}: RPC reply xid {} ignored ({})", conn, xid, problem);
        }
    }

    private static void sendAccepted(RpcConnection conn, int xid, int stat,
                                     java.util.function.Consumer<XdrEncoder> body) {
        ByteBuf buf = conn.channel().alloc().buffer(64);
        XdrEncoder enc = new XdrEncoder(buf);
        enc.writeInt(0).writeInt(xid).writeInt(RpcConstants.REPLY).writeInt(RpcConstants.MSG_ACCEPTED)
                .writeInt(0).writeInt(0).writeInt(stat);
        if (body != null) {
            body.accept(enc);
        }
        send(conn, buf);
    }

    private static void sendDenied(RpcConnection conn, int xid, java.util.function.Consumer<XdrEncoder> body) {
        ByteBuf buf = conn.channel().alloc().buffer(64);
        XdrEncoder enc = new XdrEncoder(buf);
        enc.writeInt(0).writeInt(xid).writeInt(RpcConstants.REPLY).writeInt(RpcConstants.MSG_DENIED);
        body.accept(enc);
        send(conn, buf);
    }

    /** A reply the dispatcher itself makes (an RPC-level error): counted like any other until written. */
    private static void send(RpcConnection conn, ByteBuf buf) {
        int length = buf.readableBytes();
        buf.setInt(0, RpcConstants.LAST_FRAGMENT | (length - 4));
        conn.forceReserve(length);
        conn.channel().writeAndFlush(buf).addListener(f -> {
            conn.activity();
            conn.release(length);
            conn.callDone();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
            connectionErrors.warn("{}: {}; closing this connection", ctx.channel().remoteAddress(), cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            connectionErrors.warn("{}: closing connection after error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
