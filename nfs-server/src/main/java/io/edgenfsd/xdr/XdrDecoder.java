package io.edgenfsd.xdr;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads XDR (RFC 4506) items from a buffer. Every length is checked against both the caller's limit and
 * the bytes that remain, so a hostile length field can never make us allocate more than the record holds.
 */
public final class XdrDecoder {
    private final ByteBuf buf;

    public XdrDecoder(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public int remaining() {
        return buf.readableBytes();
    }

    private void need(int n) {
        if (n < 0 || buf.readableBytes() < n) {
            throw new XdrException("truncated XDR: need " + n + " bytes, have " + buf.readableBytes());
        }
    }

    public int readInt() {
        need(4);
        return buf.readInt();
    }

    /** An unsigned 32-bit value as a long. */
    public long readUInt() {
        return readInt() & 0xFFFFFFFFL;
    }

    public long readLong() {
        need(8);
        return buf.readLong();
    }

    public boolean readBool() {
        int v = readInt();
        if (v != 0 && v != 1) {
            throw new XdrException("boolean out of range: " + v);
        }
        return v == 1;
    }

    /** Length prefix of a variable item, checked against {@code max} and the remaining bytes. */
    public int readLength(int max) {
        long len = readUInt();
        if (len > max) {
            throw new XdrException("length " + len + " exceeds limit " + max);
        }
        return (int) len;
    }

    /** Count of a variable-length array whose elements take at least {@code minElementSize} bytes each. */
    public int readArrayCount(int max, int minElementSize) {
        int n = readLength(max);
        if ((long) n * minElementSize > buf.readableBytes()) {
            throw new XdrException("array of " + n + " elements cannot fit in " + buf.readableBytes() + " bytes");
        }
        return n;
    }

    public byte[] readFixedOpaque(int len) {
        need(pad(len));
        byte[] b = new byte[len];
        buf.readBytes(b);
        buf.skipBytes(pad(len) - len);
        return b;
    }

    public byte[] readOpaque(int max) {
        int len = readLength(max);
        return readFixedOpaque(len);
    }

    /** A variable opaque returned as a slice of the underlying buffer (no copy). Caller must not outlive the buffer. */
    public ByteBuf readOpaqueSlice(int max) {
        int len = readLength(max);
        need(pad(len));
        ByteBuf slice = buf.readSlice(len);
        buf.skipBytes(pad(len) - len);
        return slice;
    }

    /** An opaque's bytes as views of the transport's buffer (no copy): WRITE hands them to the file. */
    public java.nio.ByteBuffer[] readOpaqueBuffers(int max) {
        return readOpaqueSlice(max).nioBuffers();
    }

    public String readString(int max) {
        return new String(readOpaque(max), StandardCharsets.UTF_8);
    }

    public void skip(int n) {
        need(n);
        buf.skipBytes(n);
    }

    public int[] readBitmap() {
        int n = readArrayCount(8, 4);
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            words[i] = readInt();
        }
        return words;
    }

    public static int pad(int len) {
        return (len + 3) & ~3;
    }
}
