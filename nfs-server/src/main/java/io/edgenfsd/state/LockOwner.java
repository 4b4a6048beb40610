package io.edgenfsd.state;

import java.util.Arrays;

/** lock_owner4: the identity that holds byte-range locks (RFC 8881 section 9.1.3). */
public record LockOwner(long clientId, byte[] owner) {
    @Override
    public boolean equals(Object o) {
        return o instanceof LockOwner x && x.clientId == clientId && Arrays.equals(x.owner, owner);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(clientId) * 31 + Arrays.hashCode(owner);
    }
}
