package io.edgenfsd.bench.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark client's XDR: a growable big-endian writer and a reader over a heap ByteBuffer. Kept
 * apart from the server's codecs on purpose, so a codec bug on one side is not mirrored on the other.
 */
public final class Xdr {
    private Xdr() {
    }

    public static final class Out {
        private byte[] b;
        private int n;

        public Out(int capacity) {
            b = new byte[capacity];
        }

        private void ensure(int more) {
            if (n + more > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }

        public Out i32(int v) {
            ensure(4);
            b[n] = (byte) (v >>> 24);
            b[n + 1] = (byte) (v >>> 16);
            b[n + 2] = (byte) (v >>> 8);
            b[n + 3] = (byte) v;
            n += 4;
            return this;
        }

        public Out i64(long v) {
            return i32((int) (v >>> 32)).i32((int) v);
        }

        public Out fixed(byte[] d) {
            return fixed(d, 0, d.length);
        }

        public Out fixed(byte[] d, int off, int len) {
            int padded = (len + 3) & ~3;
            ensure(padded);
            System.arraycopy(d, off, b, n, len);
            for (int i = len; i < padded; i++) {
                b[n + i] = 0;
            }
            n += padded;
            return this;
        }

        public Out opaque(byte[] d) {
            return i32(d.length).fixed(d);
        }

        public Out opaque(byte[] d, int off, int len) {
            return i32(len).fixed(d, off, len);
        }

        public Out str(String s) {
            return opaque(s.getBytes(StandardCharsets.UTF_8));
        }

        public Out bitmap(int... words) {
            i32(words.length);
            for (int w : words) {
                i32(w);
            }
            return this;
        }

        public int length() {
            return n;
        }

        public void setInt(int pos, int v) {
            b[pos] = (byte) (v >>> 24);
            b[pos + 1] = (byte) (v >>> 16);
            b[pos + 2] = (byte) (v >>> 8);
            b[pos + 3] = (byte) v;
        }

        public byte[] array() {
            return b;
        }

        public byte[] toArray() {
            return Arrays.copyOf(b, n);
        }

        public void reset() {
            n = 0;
        }
    }

    public static final class In {
        private final ByteBuffer b;

        public In(ByteBuffer b) {
            this.b = b;
        }

        public int i32() {
            return b.getInt();
        }

        public long i64() {
            return b.getLong();
        }

        public byte[] fixed(int len) {
            byte[] d = new byte[len];
            b.get(d);
            skip(((len + 3) & ~3) - len);
            return d;
        }

        public byte[] opaque() {
            return fixed(i32());
        }

        public void skipOpaque() {
            skip((i32() + 3) & ~3);
        }

        public void skipBitmap() {
            skip(4 * i32());
        }

        public void skip(int n) {
            b.position(b.position() + n);
        }

        public int remaining() {
            return b.remaining();
        }
    }
}
