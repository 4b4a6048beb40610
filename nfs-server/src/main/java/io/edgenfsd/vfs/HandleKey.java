package io.edgenfsd.vfs;

import java.util.Arrays;

/** Wire handle bytes as a map key: content equality, hash computed once. */
final class HandleKey {
    private final byte[] bytes;
    private final int hash;

    HandleKey(byte[] bytes) {
        this.bytes = bytes.clone();
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes.clone();
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
