package io.edgenfsd.xdr;

import java.util.Arrays;

/**
 * XDR opaque data (file handles, session ids, stateid "other" fields) as a map key: content equality over
 * a private copy of the bytes, hash computed once, and no string built on the lookups every request makes.
 */
public final class OpaqueKey {
    private final byte[] bytes;
    private final int hash;

    public OpaqueKey(byte[] bytes) {
        this.bytes = Arrays.copyOf(bytes, bytes.length);
        this.hash = Arrays.hashCode(this.bytes);
    }

    public byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
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
