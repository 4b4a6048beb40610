package io.edgenfsd.bench.client;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP connection to an NFS server carrying many calls at once: callers write whole records under a
 * lock, one reader thread hands each reply to the caller waiting for its xid.
 */
public final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Map<Integer, CompletableFuture<ByteBuffer>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger xids = new AtomicInteger((int) System.nanoTime() & 0x7fffffff);
    private final Thread reader;
    private volatile IOException failure;

    public Connection(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setReceiveBufferSize(4 << 20);
        socket.setSendBufferSize(4 << 20);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 256 * 1024));
        reader = new Thread(this::readLoop, "nfs-reader-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    public int nextXid() {
        return xids.incrementAndGet();
    }

    public Reply call(int xid, byte[] record) throws IOException {
        CompletableFuture<ByteBuffer> f = new CompletableFuture<>();
        pending.put(xid, f);
        synchronized (out) {
            if (failure != null) {
                throw failure;
            }
            out.write(record);
            out.flush();
        }
        try {
            return new Reply(f.get(120, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            pending.remove(xid);
            throw new IOException("no reply to xid " + xid, e);
        }
    }

    private void readLoop() {
        try {
            while (true) {
                ByteBuffer msg = null;
                boolean last = false;
                while (!last) {
                    int mark = in.readInt();
                    last = mark < 0;
                    int len = mark & 0x7fffffff;
                    byte[] frag = new byte[len];
                    in.readFully(frag);
                    if (msg == null) {
                        msg = ByteBuffer.wrap(frag);
                    } else {
                        ByteBuffer joined = ByteBuffer.allocate(msg.remaining() + len);
                        joined.put(msg).put(frag).flip();
                        msg = joined;
                    }
                }
                int xid = msg.getInt(0);
                CompletableFuture<ByteBuffer> f = pending.remove(xid);
                if (f != null) {
                    f.complete(msg);
                }
            }
        } catch (IOException e) {
            failure = e instanceof EOFException ? new IOException("server closed the connection") : e;
            pending.values().forEach(f -> f.completeExceptionally(failure));
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
