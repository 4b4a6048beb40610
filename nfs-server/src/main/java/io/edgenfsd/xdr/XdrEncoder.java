package io.edgenfsd.xdr;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Writes XDR (RFC 4506) items into a growing buffer. */
public final class XdrEncoder {
    private final ByteBuf buf;

    public XdrEncoder(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public int position() {
        return buf.writerIndex();
    }

    public void truncate(int position) {
        buf.writerIndex(position);
    }

    public XdrEncoder writeInt(int v) {
        buf.writeInt(v);
        return this;
    }

    public XdrEncoder writeUInt(long v) {
        buf.writeInt((int) v);
        return this;
    }

    public XdrEncoder writeLong(long v) {
        buf.writeLong(v);
        return this;
    }

    public XdrEncoder writeBool(boolean v) {
        buf.writeInt(v ? 1 : 0);
        return this;
    }

    /** Overwrites the 4-byte value at {@code position} (used to fill in counts and statuses after the fact). */
    public void setInt(int position, int v) {
        buf.setInt(position, v);
    }

    public XdrEncoder writeFixedOpaque(byte[] b) {
        buf.writeBytes(b);
        writePadding(b.length);
        return this;
    }

    public XdrEncoder writeOpaque(byte[] b) {
        buf.writeInt(b.length);
        return writeFixedOpaque(b);
    }

    public XdrEncoder writeOpaque(ByteBuf data) {
        int len = data.readableBytes();
        buf.writeInt(len);
        buf.writeBytes(data, data.readerIndex(), len);
        writePadding(len);
        return this;
    }

    public XdrEncoder writeString(String s) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    public void writePadding(int len) {
        int p = XdrDecoder.pad(len) - len;
        if (p > 0) {
            buf.writeZero(p);
        }
    }

    public XdrEncoder writeBitmap(int[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        buf.writeInt(n);
        for (int i = 0; i < n; i++) {
            buf.writeInt(words[i]);
        }
        return this;
    }
}
