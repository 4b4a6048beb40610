package io.edgenfsd.rpc;

import io.edgenfsd.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;

/**
 * The body of an accepted reply being built. Most replies are one buffer; a READ may append a
 * {@link FileRegion} (sent with sendfile) followed by a tail buffer, written to the socket as one unit.
 */
public final class RpcReply {
    private final ByteBuf head;
    private final XdrEncoder encoder;
    private FileRegion region;
    private ByteBuf tail;
    private boolean onEventLoop;
    private Continuation continuation;

    /**
     * The rest of a call that started on the event loop and must finish on a worker because its next step
     * may wait (DESIGN.md: the event loop never blocks). Returns the accept_stat, as {@link RpcProgram#call}.
     */
    public interface Continuation {
        int resume();
    }

    RpcReply(ByteBuf head) {
        this.head = head;
        this.encoder = new XdrEncoder(head);
    }

    /** Whether the call runs on the transport's event loop, so that it may hand its rest to a worker. */
    public boolean onEventLoop() {
        return onEventLoop;
    }

    void onEventLoop(boolean b) {
        onEventLoop = b;
    }

    /**
     * Called by a program running on the event loop, which then returns {@link RpcConstants#DEFERRED}: the
     * transport runs {@code rest} on a worker and sends the reply when it returns.
     */
    public void defer(Continuation rest) {
        if (!onEventLoop) {
            throw new IllegalStateException("only a call on the event loop is handed to a worker");
        }
        continuation = rest;
        onEventLoop = false;
    }

    Continuation takeContinuation() {
        Continuation c = continuation;
        continuation = null;
        return c;
    }

    public XdrEncoder encoder() {
        return tail != null ? new XdrEncoder(tail) : encoder;
    }

    public ByteBuf head() {
        return head;
    }

    public boolean hasRegion() {
        return region != null;
    }

    /** Appends file data sent by sendfile; everything encoded afterwards goes to a tail buffer. */
    public XdrEncoder appendRegion(FileRegion fileRegion, ByteBuf tailBuffer) {
        if (region != null) {
            throw new IllegalStateException("one file region per reply");
        }
        region = fileRegion;
        tail = tailBuffer;
        return new XdrEncoder(tail);
    }

    FileRegion region() {
        return region;
    }

    ByteBuf tail() {
        return tail;
    }

    /** Bytes of the reply so far, record mark and sendfile region included. */
    public long length() {
        return head.readableBytes() + (region == null ? 0 : region.count() + tail.readableBytes());
    }

    /** Drops a region and tail (when the reply is replaced by an error). */
    public void discardRegion() {
        if (region != null) {
            region.release();
            tail.release();
            region = null;
            tail = null;
        }
    }
}
