package io.edgenfsd.compound;

import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.status.NfsException;

import io.edgenfsd.metrics.OpRecorder;
import io.edgenfsd.rpc.RpcCall;
import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.rpc.RpcConstants;
import io.edgenfsd.rpc.RpcProgram;
import io.edgenfsd.rpc.RpcReply;
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
    public static final int NFS_PROGRAM = 100003;
    public static final int MAX_OPS = 128;

    private final ServerContext server;
    private final OperationTable ops;
    private final OpRecorder recorder;

    public CompoundProcessor(ServerContext server, OperationTable ops) {
        this(server, ops, OpRecorder.NONE);
    }

    /** {@code recorder} is told about every operation (metrics); {@link OpRecorder#NONE} costs nothing. */
    public CompoundProcessor(ServerContext server, OperationTable ops, OpRecorder recorder) {
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
        byte[] tag = in.readOpaque(1024);
        int minor = in.readInt();
        int numOps = in.readLength(Integer.MAX_VALUE);
        XdrEncoder out = reply.encoder();
        int start = out.position();
        out.writeInt(0);
        out.writeOpaque(tag);
        int countPos = out.position();
        out.writeInt(0);
        if (minor != 1) {
            // 4.0 and 4.2 clients fall back to a minor version we serve (section 16.2.3).
            out.setInt(start, NfsStatus.MINOR_VERS_MISMATCH.code);
            return RpcConstants.SUCCESS;
        }
        CompoundContext ctx = new CompoundContext(server, connection, call.credentials(), reply);
        ctx.opCount = numOps;
        NfsStatus status = NfsStatus.OK;
        int results = 0;
        Slot slot = null;
        boolean timing = recorder != OpRecorder.NONE;
        try {
            for (int i = 0; i < numOps; i++) {
                ctx.opIndex = i;
                int opcode;
                try {
                    opcode = in.readInt();
                } catch (XdrException e) {
                    status = NfsStatus.BADXDR;
                    out.writeInt(OperationTable.OP_ILLEGAL).writeInt(status.code);
                    results++;
                    break;
                }
                Operation op = ops.get(opcode);
                int resop = op == null && !OperationTable.inRange(opcode) ? OperationTable.OP_ILLEGAL : opcode;
                out.writeInt(resop);
                int statusPos = out.position();
                out.writeInt(0);
                results++;
                long t0 = timing ? System.nanoTime() : 0;
                try {
                    checkPosition(ctx, opcode, i, numOps);
                    if (op == null) {
                        throw new NfsException(OperationTable.inRange(opcode) ? NfsStatus.NOTSUPP : NfsStatus.OP_ILLEGAL,
                                "operation " + opcode);
                    }
                    op.execute(ctx, in, out);
                    ctx.operationDone(opcode);
                    if (timing) {
                        recorder.operationDone(opcode, NfsStatus.OK, System.nanoTime() - t0,
                                dataBytes(reply, opcode, statusPos));
                    }
                    if (ctx.replay != null) {
                        out.truncate(start);
                        out.buffer().writeBytes(ctx.replay);
                        return RpcConstants.SUCCESS;
                    }
                    if (i == 0 && opcode == OperationTable.SEQUENCE) {
                        slot = ctx.slot;
                    }
                } catch (NfsException e) {
                    status = e.status();
                    reply.discardRegion();
                    out = reply.encoder();
                    out.truncate(statusPos + 4);
                    out.setInt(statusPos, status.code);
                    if (e instanceof NfsErrorWithBody withBody) {
                        withBody.encodeBody(out);
                    }
                    if (timing) {
                        recorder.operationDone(opcode, status, System.nanoTime() - t0, 0);
                    }
                    if (log.isDebugEnabled()) {
                        log.debug("{} op {} -> {} ({})", connection, OperationTable.name(opcode), status, e.getMessage());
                    }
                    break;
                } catch (XdrException e) {
                    status = NfsStatus.BADXDR;
                    reply.discardRegion();
                    out = reply.encoder();
                    out.truncate(statusPos + 4);
                    out.setInt(statusPos, status.code);
                    if (timing) {
                        recorder.operationDone(opcode, status, System.nanoTime() - t0, 0);
                    }
                    log.debug("{} op {}: bad XDR: {}", connection, OperationTable.name(opcode), e.getMessage());
                    break;
                }
                out = reply.encoder();
            }
        } finally {
            ctx.asServer();
            if (slot != null) {
                server.state().leaveSlot(slot, cacheableReply(ctx, reply, start, countPos, results, status));
            }
        }
        XdrEncoder head = new XdrEncoder(reply.head());
        head.setInt(start, status.code);
        head.setInt(countPos, results);
        return RpcConstants.SUCCESS;
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

    /** The reply bytes to keep in the slot, or null when they cannot be kept (file data sent by sendfile). */
    private static byte[] cacheableReply(CompoundContext ctx, RpcReply reply, int start, int countPos, int results,
                                         NfsStatus status) {
        if (reply.hasRegion()) {
            return null;
        }
        ByteBuf head = reply.head();
        int len = head.writerIndex() - start;
        int limit = ctx.session().fore().maxResponseSizeCached();
        if (!ctx.cacheThis && len > limit) {
            return null;
        }
        byte[] b = new byte[len];
        head.getBytes(start, b);
        // status and count are filled in after this point for the live reply; patch them into the copy
        java.nio.ByteBuffer.wrap(b).putInt(0, status.code).putInt(countPos - start, results);
        return b;
    }
}
