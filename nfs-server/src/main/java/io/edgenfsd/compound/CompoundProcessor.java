package io.edgenfsd.compound;

import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.status.NfsException;

import io.edgenfsd.metrics.OpRecorder;
import io.edgenfsd.rpc.RpcCall;
import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.rpc.RateLimitedLog;
import io.edgenfsd.rpc.RpcConstants;
import io.edgenfsd.rpc.RpcProgram;
import io.edgenfsd.rpc.RpcReply;
import io.edgenfsd.state.Session;
import io.edgenfsd.state.Slot;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import io.edgenfsd.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NFS program 100003 version 4: NULL and COMPOUND (RFC 8881 section 16). Runs the operations in order
 * until one fails, keeps the SEQUENCE slot's reply cache, and applies/clears per-thread identity.
 */
public final class CompoundProcessor implements RpcProgram {
    private static final Logger log = LoggerFactory.getLogger(CompoundProcessor.class);
    private static final RateLimitedLog internalErrors = new RateLimitedLog(log, 10_000);
    public static final int NFS_PROGRAM = 100003;
    public static final int MAX_OPS = 128;
    public static final int MIN_MINOR_VERSION = 1;
    public static final int MAX_MINOR_VERSION = 2;
    /**
     * The largest reply a slot keeps (ca_maxresponsesize_cached at most): an OPEN's reply, the largest the
     * Linux client asks to be cached, fits in well under half of it (knfsd keeps 2 KiB per slot). With 64
     * slots a session's cache is at most 256 KiB.
     */
    public static final int MAX_CACHED_REPLY = 4096;
    /** Room beyond maxread in the largest reply (the rest of a READ's COMPOUND). */
    static final int REPLY_HEADROOM = 8192;

    private final ServerContext server;
    private final OperationTable ops;
    private final OpRecorder recorder;
    private final int maxMinorVersion;

    public CompoundProcessor(ServerContext server, OperationTable ops) {
        this(server, ops, OpRecorder.NONE);
    }

    public CompoundProcessor(ServerContext server, OperationTable ops, OpRecorder recorder) {
        this(server, ops, recorder, MAX_MINOR_VERSION);
    }

    /** {@code recorder} is told about every operation (metrics); {@link OpRecorder#NONE} costs nothing. */
    /** {@code maxMinorVersion} caps the minor versions served: 1 (4.1 only) or 2 (4.1 and 4.2). */
    public CompoundProcessor(ServerContext server, OperationTable ops, OpRecorder recorder, int maxMinorVersion) {
        if (maxMinorVersion < MIN_MINOR_VERSION || maxMinorVersion > MAX_MINOR_VERSION) {
            throw new IllegalArgumentException("minor version " + maxMinorVersion + " not served");
        }
        this.maxMinorVersion = maxMinorVersion;
        this.server = server;
        this.ops = ops;
        this.recorder = recorder;
    }

    @Override
    public int program() {
        return NFS_PROGRAM;
    }

    @Override
    public int lowVersion() {
        return 4;
    }

    @Override
    public int highVersion() {
        return 4;
    }

    /** Reply bytes a COMPOUND is allowed before it runs: the READ/READDIR counts it asks for, capped. */
    @Override
    public long replyEstimate(RpcCall call, ByteBuf args) {
        if (call.procedure() != 1) {
            return 512;
        }
        long maxReply = server.maxRead() + REPLY_HEADROOM;
        long[] sum = {512};
        int n = ArgsPeek.walk(args, MAX_OPS, (op, b, p) -> {
            sum[0] += 256 + switch (op) {
                case OperationTable.READ -> Math.min(b.getUnsignedInt(p + 24), server.maxRead());
                case OperationTable.READDIR -> Math.min(b.getUnsignedInt(p + 20), server.maxRead());
                case OperationTable.READLINK -> 4096;
                default -> 0;
            };
            return sum[0] < maxReply;
        });
        // operations we cannot see through may read as much as a reply may hold
        return n == ArgsPeek.UNKNOWN ? maxReply : sum[0];
    }

    @Override
    public boolean runsInline(RpcCall call, ByteBuf args) {
        return call.procedure() == 0 || call.procedure() == 1 && QuickCompound.isQuick(args, ops);
    }

    @Override
    public int call(RpcConnection connection, RpcCall call, XdrDecoder in, RpcReply reply) {
        if (call.procedure() == 0) {
            return RpcConstants.SUCCESS;
        }
        if (call.procedure() != 1) {
            return RpcConstants.PROC_UNAVAIL;
        }
        // the whole RPC request, as ca_maxrequestsize counts it (the record starts at index 0)
        int requestSize = in.buffer().writerIndex();
        byte[] tag = in.readOpaque(1024);
        int minor = in.readInt();
        int numOps = in.readLength(Integer.MAX_VALUE);
        XdrEncoder out = reply.encoder();
        int start = out.position();
        out.writeInt(0);
        out.writeOpaque(tag);
        int countPos = out.position();
        out.writeInt(0);
        if (minor < MIN_MINOR_VERSION || minor > maxMinorVersion) {
            // 4.0 and 4.3+ clients (4.2 too when capped) fall back to a minor version we serve (section 16.2.3).
            out.setInt(start, NfsStatus.MINOR_VERS_MISMATCH.code);
            return RpcConstants.SUCCESS;
        }
        CompoundContext ctx = new CompoundContext(server, connection, call.credentials(), reply);
        ctx.opCount = numOps;
        ctx.minorVersion = minor;
        ctx.onEventLoop = reply.onEventLoop();
        return new Run(ctx, in, reply, requestSize, numOps, start, countPos).proceed();
    }

    /**
     * One COMPOUND's progress through its operations. It starts on the event loop when its first operations
     * can run there (see {@link #runsInline}); the first operation that may wait on the disk or a lock hands
     * the rest, from that operation on, to a worker ({@link RpcReply#defer}), with the current filehandles,
     * the slot and the results so far. An operation defers before it has any effect.
     */
    private final class Run {
        private final CompoundContext ctx;
        private final XdrDecoder in;
        private final RpcReply reply;
        private final int requestSize;
        private final int numOps;
        private final int start;
        private final int countPos;
        private final boolean timing = recorder != OpRecorder.NONE;
        private NfsStatus status = NfsStatus.OK;
        private int results;
        private int next;
        private Slot slot;

        Run(CompoundContext ctx, XdrDecoder in, RpcReply reply, int requestSize, int numOps, int start, int countPos) {
            this.ctx = ctx;
            this.in = in;
            this.reply = reply;
            this.requestSize = requestSize;
            this.numOps = numOps;
            this.start = start;
            this.countPos = countPos;
        }

        /** The rest of the COMPOUND on a worker. */
        int resume() {
            ctx.onEventLoop = false;
            return proceed();
        }

        int proceed() {
            RpcConnection connection = ctx.connection();
            XdrEncoder out = reply.encoder();
            boolean finished = false;
            boolean deferred = false;
            try {
                for (int i = next; i < numOps; i++) {
                    ctx.opIndex = i;
                    int argsAt = in.buffer().readerIndex();
                    int resultAt = out.position();
                    int opcode;
                    try {
                        opcode = in.readInt();
                    } catch (XdrException e) {
                        status = NfsStatus.BADXDR;
                        out.writeInt(OperationTable.OP_ILLEGAL).writeInt(status.code);
                        results++;
                        break;
                    }
                    Operation op = ops.get(opcode, ctx.minorVersion);
                    if (ctx.onEventLoop && !OperationTable.mayRunOnEventLoop(opcode)) {
                        deferred = true;
                        defer(i, argsAt, resultAt);
                        return RpcConstants.DEFERRED;
                    }
                    int resop = op == null && !OperationTable.inRange(opcode) ? OperationTable.OP_ILLEGAL : opcode;
                    out.writeInt(resop);
                    int statusPos = out.position();
                    out.writeInt(0);
                    results++;
                    long started = timing ? System.nanoTime() : 0;
                    NfsStatus opStatus = NfsStatus.OK;
                    try {
                        checkPosition(ctx, opcode, i, numOps);
                        if (i == 0 && opcode == OperationTable.SEQUENCE) {
                            checkRequestSize(in, requestSize);
                        }
                        if (op == null) {
                            throw new NfsException(OperationTable.inRange(opcode) ? NfsStatus.NOTSUPP
                                    : NfsStatus.OP_ILLEGAL, "operation " + opcode);
                        }
                        if (ctx.session() != null) { // SP4_MACH_CRED's spo_must_enforce (RFC 8881 section 2.10.8.3)
                            server.state().checkMachineCredential(ctx.session().client(), opcode, ctx.credentials(),
                                    connection.remoteAddress());
                        }
                        op.execute(ctx, in, out);
                        ctx.operationDone(opcode);
                        if (ctx.replay != null) {
                            out.truncate(start);
                            out.buffer().writeBytes(ctx.replay);
                            finished = true;
                            return RpcConstants.SUCCESS;
                        }
                        if (i == 0 && opcode == OperationTable.SEQUENCE) {
                            slot = ctx.slot;
                            keepOpenForSession(connection, ctx.session());
                        } else if (ctx.session() != null) {
                            checkReplySize(ctx, reply);
                        }
                    } catch (CompoundContext.MustWait wait) {
                        results--;
                        deferred = true;
                        defer(i, argsAt, resultAt);
                        return RpcConstants.DEFERRED;
                    } catch (NfsException e) {
                        opStatus = e.status();
                        out = failed(reply, statusPos, opStatus);
                        if (e instanceof NfsErrorWithBody withBody) {
                            withBody.encodeBody(out);
                        }
                        if (log.isDebugEnabled()) {
                            log.debug("{} op {} -> {} ({})", connection, OperationTable.name(opcode), opStatus,
                                    e.getMessage());
                        }
                    } catch (XdrException e) {
                        opStatus = NfsStatus.BADXDR;
                        out = failed(reply, statusPos, opStatus);
                        log.debug("{} op {}: bad XDR: {}", connection, OperationTable.name(opcode), e.getMessage());
                    } catch (RuntimeException e) {
                        // a bug of ours, not the client's: this operation fails, the reply stays well formed, and
                        // that is what the slot keeps (NFS4ERR_SERVERFAULT, RFC 8881 section 15.1.1)
                        opStatus = NfsStatus.SERVERFAULT;
                        out = failed(reply, statusPos, opStatus);
                        internalErrors.warn("{} op {} failed unexpectedly; answered NFS4ERR_SERVERFAULT", connection,
                                OperationTable.name(opcode), e);
                    }
                    if (timing) {
                        recorder.operationDone(opcode, opStatus, System.nanoTime() - started,
                                opStatus == NfsStatus.OK ? dataBytes(reply, opcode, statusPos) : 0);
                    }
                    if (opStatus != NfsStatus.OK) {
                        status = opStatus;
                        break;
                    }
                    out = reply.encoder();
                }
                finished = true;
            } finally {
                ctx.asServer();
                if (slot != null && !deferred) {
                    // an Error thrown through here leaves a reply we cannot vouch for: keep none
                    server.state().leaveSlot(slot, finished
                            ? cacheableReply(ctx, reply, start, countPos, results, status) : null);
                }
            }
            XdrEncoder head = new XdrEncoder(reply.head());
            head.setInt(start, status.code);
            head.setInt(countPos, results);
            return RpcConstants.SUCCESS;
        }

        /** Hands operation {@code i} on to a worker: its arguments are read again there, its result rewritten. */
        private void defer(int i, int argsAt, int resultAt) {
            in.buffer().readerIndex(argsAt);
            reply.encoder().truncate(resultAt);
            next = i;
            reply.defer(this::resume);
        }
    }

    /** The operation's result becomes just {@code status}: anything it encoded (or a file region) is dropped. */
    private static XdrEncoder failed(RpcReply reply, int statusPos, NfsStatus status) {
        reply.discardRegion();
        XdrEncoder out = reply.encoder();
        out.truncate(statusPos + 4);
        out.setInt(statusPos, status.code);
        return out;
    }

    /** An idle connection stays open while a session used on it lives (its client's lease has not expired). */
    private void keepOpenForSession(RpcConnection connection, Session s) {
        if (s == null) {
            return;
        }
        byte[] id = s.id();
        connection.keepOpenWhile(s, () -> {
            try {
                server.state().session(id);
                return true;
            } catch (NfsException gone) {
                return false;
            }
        });
    }

    /**
     * A request larger than the session's ca_maxrequestsize is refused by its SEQUENCE, before the slot is
     * touched (RFC 8881 section 18.46.3, NFS4ERR_REQ_TOO_BIG). An unknown session is left to SEQUENCE.
     */
    private void checkRequestSize(XdrDecoder in, int requestSize) throws NfsException {
        ByteBuf b = in.buffer();
        if (b.readableBytes() < 16) {
            return;
        }
        byte[] sessionId = new byte[16];
        b.getBytes(b.readerIndex(), sessionId);
        Session s;
        try {
            s = server.state().session(sessionId);
        } catch (NfsException unknown) {
            return;
        }
        if (requestSize > s.fore().maxRequestSize()) {
            throw new NfsException(NfsStatus.REQ_TOO_BIG, requestSize + " bytes, the session allows "
                    + s.fore().maxRequestSize());
        }
    }

    /**
     * After each operation: the reply so far must fit the session's ca_maxresponsesize, and when it is to be
     * cached (sa_cachethis) its ca_maxresponsesize_cached; the operation that crosses a limit fails with
     * NFS4ERR_REP_TOO_BIG or NFS4ERR_REP_TOO_BIG_TO_CACHE (RFC 8881 sections 2.10.6.1, 18.46.3). Sizes count
     * the whole RPC reply, as the client's own limits do.
     */
    private static void checkReplySize(CompoundContext ctx, RpcReply reply) throws NfsException {
        long size = reply.length() - 4; // without the record mark
        int max = ctx.session().fore().maxResponseSize();
        if (size > max) {
            throw new NfsException(NfsStatus.REP_TOO_BIG, "reply of " + size + " bytes, the session allows " + max);
        }
        int cached = ctx.session().fore().maxResponseSizeCached();
        if (ctx.cacheThis && size > cached) {
            throw new NfsException(NfsStatus.REP_TOO_BIG_TO_CACHE, "reply of " + size + " bytes, the session caches "
                    + cached);
        }
    }

    /**
     * The file bytes a successful READ or WRITE moved, as its encoded result says: WRITE4resok starts with
     * {@code count}, READ4resok with {@code eof} then the data's length (RFC 8881 sections 18.32.2, 18.22.2).
     * Both sit in the reply's head buffer even when the data itself goes out by sendfile.
     */
    private static long dataBytes(RpcReply reply, int opcode, int statusPos) {
        if (opcode == OperationTable.WRITE) {
            return reply.head().getUnsignedInt(statusPos + 4);
        }
        if (opcode == OperationTable.READ) {
            return reply.head().getUnsignedInt(statusPos + 8);
        }
        return 0;
    }

    /** Only operations that may stand alone run outside a session (section 2.10.6.4); SEQUENCE only first. */
    private static void checkPosition(CompoundContext ctx, int opcode, int i, int numOps) throws NfsException {
        if (i == 0) {
            if (opcode != OperationTable.SEQUENCE && !OperationTable.allowedWithoutSequence(opcode)
                    && OperationTable.inRange(opcode)) {
                throw new NfsException(NfsStatus.OP_NOT_IN_SESSION);
            }
            if (OperationTable.mustBeOnlyOp(opcode) && numOps != 1) {
                throw new NfsException(NfsStatus.NOT_ONLY_OP);
            }
        } else if (opcode == OperationTable.SEQUENCE) {
            throw new NfsException(NfsStatus.SEQUENCE_POS);
        } else if (ctx.session() == null && OperationTable.inRange(opcode)
                && !OperationTable.allowedWithoutSequence(opcode)) {
            throw new NfsException(NfsStatus.OP_NOT_IN_SESSION);
        }
    }

    /**
     * The reply bytes to keep in the slot: only what the client asked to be cached (sa_cachethis; a replay of
     * anything else answers NFS4ERR_RETRY_UNCACHED_REP, section 2.10.6.1.3), which {@link #checkReplySize}
     * kept within ca_maxresponsesize_cached. A reply carrying file data by sendfile cannot be kept.
     */
    private static byte[] cacheableReply(CompoundContext ctx, RpcReply reply, int start, int countPos, int results,
                                         NfsStatus status) {
        if (!ctx.cacheThis || reply.hasRegion()) {
            return null;
        }
        ByteBuf head = reply.head();
        int len = head.writerIndex() - start;
        byte[] b = new byte[len];
        head.getBytes(start, b);
        // status and count are filled in after this point for the live reply; patch them into the copy
        java.nio.ByteBuffer.wrap(b).putInt(0, status.code).putInt(countPos - start, results);
        return b;
    }
}
