package io.edgenfsd.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ONC RPC over TCP for the test client: record marking, xids matched to replies so many calls can be in
 * flight, AUTH_SYS credentials, and answers to the server's back-channel calls (CB_NULL, CB_COMPOUND with
 * CB_SEQUENCE) arriving on the same connection. Raw escape hatches send arbitrary bytes.
 */
public final class RpcClient implements AutoCloseable {
    public static final int NFS_PROGRAM = 100003;
    public static final int NFS_VERSION = 4;
    public static final int PROC_NULL = 0;
    public static final int PROC_COMPOUND = 1;
    static final int MAX_RECORD = 64 << 20;
    static final int OP_CB_SEQUENCE = 11;
    static final int OP_CB_RECALL = 4;

    private final Socket socket;
    private final OutputStream out;
    private final Map<Integer, CompletableFuture<RpcResult>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextXid = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicInteger cbNullCalls = new AtomicInteger();
    /** The minor version of the last CB_COMPOUND received; -1 before any. */
    private volatile int cbMinorVersion = -1;
    private final AtomicInteger cbSequenceCalls = new AtomicInteger();
    private final java.util.concurrent.BlockingQueue<Recall> recalls = new java.util.concurrent.LinkedBlockingQueue<>();

    /** A CB_RECALL the server sent (RFC 8881 section 20.2); the client answered NFS4_OK. */
    public record Recall(Stateid stateid, boolean truncate, byte[] fh) {
    }
    private volatile long timeoutMillis = 30_000;

    private RpcClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "rpc-client-reader-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    public static RpcClient connect(InetSocketAddress server) {
        try {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(server, 10_000);
            return new RpcClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void timeoutMillis(long t) {
        timeoutMillis = t;
    }

    public int nextXid() {
        return nextXid.incrementAndGet();
    }

    /** Call header through the verifier (RFC 5531 section 9), ready for the arguments. */
    public static XdrOut callHeader(int xid, int rpcVersion, int prog, int vers, int proc, Cred cred) {
        XdrOut o = new XdrOut().int32(xid).int32(0).int32(rpcVersion).int32(prog).int32(vers).int32(proc);
        cred.encode(o);
        return o.int32(0).int32(0);
    }

    public CompletableFuture<RpcResult> callAsync(int prog, int vers, int proc, Cred cred, byte[] args) {
        int xid = nextXid();
        byte[] body = callHeader(xid, 2, prog, vers, proc, cred).raw(args).toByteArray();
        return sendRecordExpectingReply(xid, body);
    }

    public RpcResult call(int prog, int vers, int proc, Cred cred, byte[] args) {
        return await(callAsync(prog, vers, proc, cred, args));
    }

    /** Sends a whole record body (starting with the xid) and returns the future of the reply to that xid. */
    public CompletableFuture<RpcResult> sendRecordExpectingReply(int xid, byte[] body) {
        CompletableFuture<RpcResult> f = expectReply(xid);
        try {
            sendRecord(body);
        } catch (UncheckedIOException e) {
            pending.remove(xid);
            f.completeExceptionally(e);
        }
        return f;
    }

    public CompletableFuture<RpcResult> expectReply(int xid) {
        CompletableFuture<RpcResult> f = new CompletableFuture<>();
        pending.put(xid, f);
        if (closed.isDone()) {
            pending.remove(xid);
            f.completeExceptionally(new EOFException("connection closed"));
        }
        return f;
    }

    public RpcResult await(CompletableFuture<RpcResult> f) {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("RPC failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no RPC reply within " + timeoutMillis + " ms", e);
        }
    }

    /** One record in one last fragment. */
    public void sendRecord(byte[] body) {
        sendRaw(asRecord(body));
    }

    /** {@code body} behind a record mark: one last fragment (RFC 5531 section 11). */
    public static byte[] asRecord(byte[] body) {
        byte[] rec = new byte[body.length + 4];
        int mark = 0x80000000 | body.length;
        rec[0] = (byte) (mark >>> 24);
        rec[1] = (byte) (mark >>> 16);
        rec[2] = (byte) (mark >>> 8);
        rec[3] = (byte) mark;
        System.arraycopy(body, 0, rec, 4, body.length);
        return rec;
    }

    /** Bytes exactly as given: no record marking added. */
    public void sendRaw(byte[] bytes) {
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Completes when the server closes the connection (or reading fails). */
    public CompletableFuture<Void> closedFuture() {
        return closed;
    }

    public boolean awaitClosed(long millis) {
        try {
            closed.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    public int cbMinorVersion() {
        return cbMinorVersion;
    }

    public int cbNullCalls() {
        return cbNullCalls.get();
    }

    public int cbSequenceCalls() {
        return cbSequenceCalls.get();
    }

    /** The next CB_RECALL received, waiting up to {@code millis}; null if none came. */
    public Recall awaitRecall(long millis) throws InterruptedException {
        return recalls.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                boolean last;
                do {
                    int mark = in.readInt();
                    last = (mark & 0x80000000) != 0;
                    int len = mark & 0x7FFFFFFF;
                    if (record.size() + (long) len > MAX_RECORD) {
                        throw new IOException("record of " + len + " bytes from the server");
                    }
                    byte[] frag = new byte[len];
                    in.readFully(frag);
                    record.write(frag);
                } while (!last);
                dispatch(record.toByteArray());
            }
        } catch (IOException | RuntimeException e) {
            closed.complete(null);
            for (Integer xid : pending.keySet()) {
                CompletableFuture<RpcResult> f = pending.remove(xid);
                if (f != null) {
                    f.completeExceptionally(new EOFException("connection closed: " + e));
                }
            }
        }
    }

    private void dispatch(byte[] record) {
        XdrIn in = new XdrIn(record);
        int xid = in.int32();
        int type = in.int32();
        if (type == 1) {
            CompletableFuture<RpcResult> f = pending.remove(xid);
            if (f != null) {
                f.complete(RpcResult.parse(record));
            }
        } else if (type == 0) {
            answerCallback(xid, in);
        }
    }

    /** The client side of the back channel (RFC 8881 section 20): CB_NULL and CB_SEQUENCE answer OK. */
    private void answerCallback(int xid, XdrIn in) {
        in.int32(); // rpcvers
        in.int32(); // program
        in.int32(); // version
        int proc = in.int32();
        in.int32();
        in.opaque();
        in.int32();
        in.opaque();
        XdrOut reply = new XdrOut().int32(xid).int32(1).int32(0).int32(0).int32(0);
        if (proc == 0) {
            cbNullCalls.incrementAndGet();
            reply.int32(RpcResult.SUCCESS);
        } else if (proc == 1) {
            reply.int32(RpcResult.SUCCESS);
            byte[] tag = in.opaque();
            cbMinorVersion = in.int32();
            in.int32(); // callback_ident
            int n = in.int32();
            XdrOut res = new XdrOut();
            int count = 0;
            int status = 0;
            for (int i = 0; i < n; i++) {
                int op = in.int32();
                count++;
                if (op == OP_CB_RECALL) {
                    Stateid sid = Stateid.decode(in);
                    boolean truncate = in.bool();
                    recalls.add(new Recall(sid, truncate, in.opaque()));
                    res.int32(op).int32(0);
                    continue;
                }
                if (op != OP_CB_SEQUENCE) {
                    res.int32(op).int32(10004); // NFS4ERR_NOTSUPP: we hold no layouts
                    status = 10004;
                    break;
                }
                byte[] sid = in.fixed(16);
                int seq = in.int32();
                int slot = in.int32();
                int highest = in.int32();
                in.bool();
                int lists = in.int32();
                for (int l = 0; l < lists; l++) {
                    in.fixed(16);
                    int calls = in.int32();
                    for (int c = 0; c < calls; c++) {
                        in.int32();
                        in.int32();
                    }
                }
                cbSequenceCalls.incrementAndGet();
                res.int32(op).int32(0).fixed(sid).int32(seq).int32(slot).int32(highest).int32(highest);
            }
            reply.int32(status).opaque(tag).int32(count).raw(res.toByteArray());
        } else {
            reply.int32(RpcResult.PROC_UNAVAIL);
        }
        try {
            sendRecord(reply.toByteArray());
        } catch (UncheckedIOException ignored) {
            // connection going away: nothing to answer on
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
