package io.edgenfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

import java.util.ArrayDeque;

/**
 * RFC 5531 section 11 record marking: a record is one or more fragments, each prefixed by a 4-byte header
 * whose top bit marks the last fragment. A record larger than {@code maxRecord} closes the connection: we
 * cannot skip it without reading it, and reading it would make per-connection memory unbounded.
 *
 * <p>On a server connection every fragment's bytes are reserved in the {@link InflightBudget} when its header
 * is read, before its body: when they do not fit, framing and reading stop here (the body stays in the
 * client's socket) until the connection is woken. What was read past that header, at most one socket read,
 * waits in this decoder. The first fragment of a record may wait; later fragments of a record under way are
 * counted at once, so a half-read record never waits for budget that other half-read records hold.
 */
public final class RecordMarkingDecoder extends ChannelInboundHandlerAdapter {
    private final int maxRecord;
    /** Received buffers not yet framed, in order. */
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queued;
    private CompositeByteBuf pending;
    /** Body bytes still to come of the fragment whose header was read, or -1 before a header. */
    private int fragmentLeft = -1;
    private boolean lastFragment;
    /** Bytes reserved for the record being assembled (given to the dispatcher with the record). */
    private long reserved;
    private RpcConnection conn;
    private ChannelHandlerContext ctx;
    private boolean failed;

    public RecordMarkingDecoder(int maxRecord) {
        this.maxRecord = maxRecord;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        if (failed || !b.isReadable()) {
            b.release();
            return;
        }
        if (conn == null) {
            // set by the dispatcher when the channel became active; absent only in codec tests
            conn = ctx.channel().attr(RpcDispatcher.CONNECTION).get();
            if (conn != null) {
                conn.onResume(this::frame);
            }
        }
        queue.add(b);
        queued += b.readableBytes();
        if (conn != null) {
            conn.activity();
        }
        frame();
    }

    private void frame() {
        try {
            frameRecords();
        } finally {
            if (conn != null) {
                // for the partial-record timeout: is a record under way?
                conn.recordUnderWay(queued > 0 || pending != null || fragmentLeft >= 0);
            }
        }
    }

    private void frameRecords() {
        while (!failed && (conn == null || !conn.readingBlocked())) {
            if (fragmentLeft < 0) {
                if (queued < 4) {
                    return;
                }
                int header = peekInt();
                boolean last = (header & RpcConstants.LAST_FRAGMENT) != 0;
                int len = header & 0x7FFFFFFF;
                long already = pending == null ? 0 : pending.readableBytes();
                if (len + already > maxRecord) {
                    failed = true;
                    releaseAll();
                    throw new TooLongFrameException("RPC record of " + (len + already)
                            + " bytes exceeds the limit of " + maxRecord);
                }
                if (conn != null) {
                    if (pending == null) {
                        if (!conn.reserve(len, 0)) {
                            return; // reading stopped; the connection calls frame() again when it may go on
                        }
                    } else {
                        conn.forceReserve(len);
                    }
                }
                reserved += len;
                skip(4);
                fragmentLeft = len;
                lastFragment = last;
            }
            if (queued < fragmentLeft) {
                return;
            }
            ByteBuf fragment = take(fragmentLeft);
            fragmentLeft = -1;
            ByteBuf record = null;
            if (lastFragment && pending == null) {
                record = fragment;
            } else {
                if (pending == null) {
                    pending = ctx.alloc().compositeBuffer(1024);
                }
                pending.addComponent(true, fragment);
                if (lastFragment) {
                    record = pending;
                    pending = null;
                }
            }
            if (record != null) {
                reserved = 0;
                ctx.fireChannelRead(record);
            }
        }
    }

    private int peekInt() {
        ByteBuf first = queue.peekFirst();
        if (first.readableBytes() >= 4) {
            return first.getInt(first.readerIndex());
        }
        int v = 0;
        int got = 0;
        for (ByteBuf b : queue) {
            for (int i = b.readerIndex(); i < b.writerIndex() && got < 4; i++, got++) {
                v = (v << 8) | (b.getByte(i) & 0xFF);
            }
            if (got == 4) {
                break;
            }
        }
        return v;
    }

    private void skip(int n) {
        while (n > 0) {
            ByteBuf b = queue.peekFirst();
            int k = Math.min(n, b.readableBytes());
            b.skipBytes(k);
            n -= k;
            queued -= k;
            if (!b.isReadable()) {
                queue.removeFirst().release();
            }
        }
    }

    /** The next {@code n} queued bytes as one buffer (slices of what was received, no copy). */
    private ByteBuf take(int n) {
        ByteBuf first = queue.peekFirst();
        if (n == 0) {
            return ctx.alloc().buffer(0);
        }
        if (first.readableBytes() >= n) {
            ByteBuf s = first.readRetainedSlice(n);
            queued -= n;
            if (!first.isReadable()) {
                queue.removeFirst().release();
            }
            return s;
        }
        CompositeByteBuf c = ctx.alloc().compositeBuffer(1024);
        while (n > 0) {
            ByteBuf b = queue.peekFirst();
            int k = Math.min(n, b.readableBytes());
            c.addComponent(true, b.readRetainedSlice(k));
            n -= k;
            queued -= k;
            if (!b.isReadable()) {
                queue.removeFirst().release();
            }
        }
        return c;
    }

    private void releaseAll() {
        for (ByteBuf b : queue) {
            b.release();
        }
        queue.clear();
        queued = 0;
        if (pending != null) {
            pending.release();
            pending = null;
        }
        fragmentLeft = -1;
        if (conn != null) {
            conn.release(reserved);
        }
        reserved = 0;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.fireChannelInactive();
    }
}
