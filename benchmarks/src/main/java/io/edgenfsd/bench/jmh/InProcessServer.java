package io.edgenfsd.bench.jmh;

import io.edgenfsd.bench.wire.Compound;
import io.edgenfsd.bench.wire.Reply;
import io.edgenfsd.compound.CompoundProcessor;
import io.edgenfsd.compound.ServerContext;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.rpc.RecordMarkingDecoder;
import io.edgenfsd.rpc.RpcDispatcher;
import io.edgenfsd.rpc.RpcProgram;
import io.edgenfsd.server.Operations;
import io.edgenfsd.state.Delegations;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.vfs.IdMapper;
import io.edgenfsd.vfs.InMemoryHandleStore;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.vfs.ThreadIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The server's real pipeline (record marking, RPC dispatch, COMPOUND, operations, vfs) on an
 * {@link EmbeddedChannel}, with calls executed on the caller's thread: every byte of a request is decoded
 * and every byte of the reply encoded as on a TCP connection, without the socket.
 */
public final class InProcessServer implements AutoCloseable {
    /** An EmbeddedChannel that looks like a loopback TCP peer on a privileged port. */
    static final class LoopbackChannel extends EmbeddedChannel {
        LoopbackChannel() {
            super(false, false);
            config().setAllocator(PooledByteBufAllocator.DEFAULT);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 700);
        }

        @Override
        protected SocketAddress localAddress0() {
            return new InetSocketAddress("127.0.0.1", 2049);
        }
    }

    public final Path root;
    public final StateManager state;
    public final OpenFiles openFiles;
    private final EmbeddedChannel channel;
    private int xid = 1;

    public InProcessServer(Path root) throws Exception {
        this(root, io.edgenfsd.metrics.OpRecorder.NONE);
    }

    /** With {@code recorder} told of every operation (the metrics-on case of CompoundBench). */
    public InProcessServer(Path root, io.edgenfsd.metrics.OpRecorder recorder) throws Exception {
        this.root = root;
        Files.createDirectories(root);
        ExportTable exports = ExportTable.fromLines(
                List.of(root + " *(rw,sync,no_root_squash,insecure)"), "benchmark");
        state = new StateManager(90);
        LocalFs fs = new LocalFs(exports, new InMemoryHandleStore(), ThreadIdentity.NONE);
        openFiles = new OpenFiles(256, fs);
        state.onOpenReleased(o -> openFiles.forget(o.file()));
        ServerContext ctx = new ServerContext(state, fs, new IdMapper(), ThreadIdentity.NONE, openFiles, 1 << 20,
                1 << 20, "edge-nfsd@bench".getBytes(StandardCharsets.UTF_8), s -> { }, new Delegations(90));
        CompoundProcessor nfs = new CompoundProcessor(ctx, Operations.table(), recorder);
        channel = new LoopbackChannel();
        channel.pipeline().addLast(new RecordMarkingDecoder((1 << 20) + 65536));
        channel.pipeline().addLast(new RpcDispatcher(Map.<Integer, RpcProgram>of(CompoundProcessor.NFS_PROGRAM, nfs),
                Runnable::run));
        channel.register();
    }

    public int nextXid() {
        return xid++;
    }

    /** Sends one record-marked call; returns the reply bytes moved out of the pipeline (for setup). */
    public Reply call(byte[] record) {
        channel.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(record));
        channel.runPendingTasks();
        ByteBuffer all = ByteBuffer.allocate(4 << 20);
        Object m;
        while ((m = channel.readOutbound()) != null) {
            if (m instanceof ByteBuf b) {
                ByteBuffer nio = ByteBuffer.allocate(b.readableBytes());
                b.readBytes(nio);
                nio.flip();
                all.put(nio);
            } else if (m instanceof FileRegion r) {
                try {
                    var sink = new java.io.ByteArrayOutputStream();
                    var ch = java.nio.channels.Channels.newChannel(sink);
                    while (r.transferred() < r.count()) {
                        r.transferTo(ch, r.transferred());
                    }
                    all.put(sink.toByteArray());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
            ReferenceCountUtil.release(m);
        }
        all.flip();
        all.getInt(); // record mark
        return new Reply(all.slice());
    }

    /**
     * Hot path: hands a request (ownership passes to the pipeline) and releases whatever comes out,
     * without touching the file data. Returns the number of outbound messages (for a blackhole).
     */
    public int callAndDiscard(ByteBuf request) {
        channel.writeInbound(request);
        channel.runPendingTasks();
        int n = 0;
        Object m;
        while ((m = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(m);
            n++;
        }
        return n;
    }

    /** EXCHANGE_ID, CREATE_SESSION (8 slots), RECLAIM_COMPLETE; returns {clientId, sessionId}. */
    public Object[] session() {
        int x = nextXid();
        Reply r = call(new Compound(x).exchangeId(new byte[8], "jmh-client".getBytes(StandardCharsets.UTF_8))
                .bytes());
        r.op(Compound.OP_EXCHANGE_ID);
        long clientId = r.in.i64();
        int seq = r.in.i32();
        x = nextXid();
        r = call(new Compound(x).createSession(clientId, seq, 8, 1 << 20).bytes());
        r.op(Compound.OP_CREATE_SESSION);
        byte[] sid = r.in.fixed(16);
        return new Object[] {clientId, sid};
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        openFiles.closeAll();
    }
}
