package io.edgenfsd.state;

import java.util.Arrays;

/**
 * Session ids and stateid "other" fields as map keys: content equality over the bytes, hash computed once.
 * (They are looked up on every SEQUENCE and every stateid, so no string is built for them.)
 */
final class OpaqueKey {
    private final byte[] bytes;
    private final int hash;

    OpaqueKey(byte[] bytes) {
        this.bytes = bytes.clone();
        this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpaqueKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
