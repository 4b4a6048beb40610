package io.edgenfsd.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads XDR from a byte array; throws {@link IllegalStateException} when the data runs out. */
public final class XdrIn {
    private final byte[] b;
    private int pos;
    private final int end;

    public XdrIn(byte[] b) {
        this(b, 0, b.length);
    }

    public XdrIn(byte[] b, int offset, int length) {
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
    }

    private void need(long n) {
        if (n < 0 || pos + n > end) {
            throw new IllegalStateException("XDR truncated: need " + n + " bytes at " + pos + ", end " + end);
        }
    }

    public int int32() {
        need(4);
        int v = (b[pos] & 0xFF) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long int64() {
        long hi = int32() & 0xFFFFFFFFL;
        long lo = int32() & 0xFFFFFFFFL;
        return hi << 32 | lo;
    }

    public boolean bool() {
        int v = int32();
        if (v != 0 && v != 1) {
            throw new IllegalStateException("bool " + v);
        }
        return v == 1;
    }

    public byte[] fixed(int n) {
        int padded = (n + 3) & ~3;
        need(padded);
        byte[] r = Arrays.copyOfRange(b, pos, pos + n);
        pos += padded;
        return r;
    }

    public byte[] opaque() {
        long n = int32() & 0xFFFFFFFFL;
        need(n);
        return fixed((int) n);
    }

    public String string() {
        return new String(opaque(), StandardCharsets.UTF_8);
    }

    public int[] bitmap() {
        int n = int32();
        need(4L * n);
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = int32();
        }
        return w;
    }

    public int remaining() {
        return end - pos;
    }

    public int position() {
        return pos;
    }

    public byte[] rest() {
        byte[] r = Arrays.copyOfRange(b, pos, end);
        pos = end;
        return r;
    }
}
