package io.edgenfsd.rpc;

import io.edgenfsd.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client TCP connection. Besides carrying the client's calls, it carries our back-channel calls
 * (RFC 8881 section 2.10.3.1); their replies arrive on the same connection and are matched by xid.
 */
public final class RpcConnection {
    private final Channel channel;
    private final Map<Integer, CompletableFuture<ByteBuf>> pendingCallbacks = new ConcurrentHashMap<>();
    private final AtomicInteger nextXid = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    final AtomicInteger inFlight = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong inFlightBytes = new java.util.concurrent.atomic.AtomicLong();

    public RpcConnection(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Sends a call to the client on this connection. The future completes with the reply's results
     * (after the accepted-SUCCESS header, caller releases) or exceptionally on error, close or timeout.
     */
    public CompletableFuture<ByteBuf> call(int program, int version, int procedure, Consumer<XdrEncoder> credential,
                                           Consumer<XdrEncoder> args, long timeoutMillis) {
        int xid = nextXid.incrementAndGet();
        CompletableFuture<ByteBuf> future = new CompletableFuture<>();
        pendingCallbacks.put(xid, future);
        ByteBuf buf = channel.alloc().buffer(256);
        XdrEncoder enc = new XdrEncoder(buf);
        enc.writeInt(0).writeInt(xid).writeInt(RpcConstants.CALL).writeInt(RpcConstants.RPC_VERSION)
                .writeInt(program).writeInt(version).writeInt(procedure);
        credential.accept(enc);
        enc.writeInt(0).writeInt(0);
        args.accept(enc);
        buf.setInt(0, RpcConstants.LAST_FRAGMENT | (buf.readableBytes() - 4));
        channel.writeAndFlush(buf).addListener(f -> {
            if (!f.isSuccess()) {
                fail(xid, f.cause());
            }
        });
        channel.eventLoop().schedule(() -> fail(xid, new java.util.concurrent.TimeoutException(
                "no reply to callback xid " + xid)), timeoutMillis, TimeUnit.MILLISECONDS);
        return future;
    }

    private void fail(int xid, Throwable cause) {
        CompletableFuture<ByteBuf> f = pendingCallbacks.remove(xid);
        if (f != null) {
            f.completeExceptionally(cause);
        }
    }

    /** A REPLY message arrived: hand it to whoever made the call. Returns false for an unknown xid. */
    boolean completeCallback(int xid, ByteBuf results) {
        CompletableFuture<ByteBuf> f = pendingCallbacks.remove(xid);
        if (f == null) {
            return false;
        }
        if (!f.complete(results)) {
            results.release();
        }
        return true;
    }

    void closed() {
        for (Integer xid : pendingCallbacks.keySet()) {
            fail(xid, new java.nio.channels.ClosedChannelException());
        }
    }

    @Override
    public String toString() {
        return String.valueOf(channel.remoteAddress());
    }
}
