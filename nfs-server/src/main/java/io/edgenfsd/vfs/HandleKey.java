package io.edgenfsd.vfs;

import java.util.Arrays;

/** Bytes (a wire handle, or export id and kernel handle) as a map key, compared by content. */
final class HandleKey {
    private final byte[] bytes;
    private final int hash;

    HandleKey(byte[] bytes) {
        this.bytes = Arrays.copyOf(bytes, bytes.length);
        this.hash = Arrays.hashCode(this.bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandleKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
