package io.edgenfsd.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growing big-endian XDR (RFC 4506) writer for the test client; independent of the server's codec. */
public final class XdrOut {
    private byte[] buf = new byte[256];
    private int len;

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public XdrOut int32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public XdrOut int64(long v) {
        return int32((int) (v >>> 32)).int32((int) v);
    }

    public XdrOut bool(boolean v) {
        return int32(v ? 1 : 0);
    }

    public XdrOut fixed(byte[] b) {
        ensure(b.length + 3);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        int pad = (4 - (b.length & 3)) & 3;
        for (int i = 0; i < pad; i++) {
            buf[len++] = 0;
        }
        return this;
    }

    public XdrOut opaque(byte[] b) {
        return int32(b.length).fixed(b);
    }

    public XdrOut string(String s) {
        return opaque(s.getBytes(StandardCharsets.UTF_8));
    }

    public XdrOut bitmap(int... words) {
        int32(words.length);
        for (int w : words) {
            int32(w);
        }
        return this;
    }

    /** Appends bytes as they are, without length or padding. */
    public XdrOut raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public int position() {
        return len;
    }

    public void setInt(int pos, int v) {
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
