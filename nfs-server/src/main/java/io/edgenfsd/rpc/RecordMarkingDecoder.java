package io.edgenfsd.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * RFC 5531 section 11 record marking: a record is one or more fragments, each prefixed by a 4-byte header
 * whose top bit marks the last fragment. A record larger than {@code maxRecord} closes the connection: we
 * cannot skip it without reading it, and reading it would make per-connection memory unbounded.
 */
public final class RecordMarkingDecoder extends ByteToMessageDecoder {
    private final int maxRecord;
    private CompositeByteBuf pending;

    public RecordMarkingDecoder(int maxRecord) {
        this.maxRecord = maxRecord;
        // 1 MiB WRITEs arrive in many reads: keep the pieces instead of copying into ever larger buffers
        setCumulator(COMPOSITE_CUMULATOR);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int header = in.getInt(in.readerIndex());
            boolean last = (header & RpcConstants.LAST_FRAGMENT) != 0;
            int len = header & 0x7FFFFFFF;
            int already = pending == null ? 0 : pending.readableBytes();
            if ((long) len + already > maxRecord) {
                releasePending();
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException("RPC record of " + ((long) len + already)
                        + " bytes exceeds the limit of " + maxRecord);
            }
            if (in.readableBytes() < 4 + len) {
                return;
            }
            in.skipBytes(4);
            ByteBuf fragment = in.readRetainedSlice(len);
            if (last && pending == null) {
                out.add(fragment);
            } else {
                if (pending == null) {
                    pending = ctx.alloc().compositeBuffer(1024);
                }
                pending.addComponent(true, fragment);
                if (last) {
                    out.add(pending);
                    pending = null;
                }
            }
        }
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePending();
    }
}
