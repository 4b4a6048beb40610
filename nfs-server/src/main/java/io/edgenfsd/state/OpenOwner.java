package io.edgenfsd.state;

import java.util.Arrays;

/** open_owner4: a client process's identity for OPEN (RFC 8881 section 9.1.3). */
public record OpenOwner(long clientId, byte[] owner) {
    @Override
    public boolean equals(Object o) {
        return o instanceof OpenOwner x && x.clientId == clientId && Arrays.equals(x.owner, owner);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(clientId) * 31 + Arrays.hashCode(owner);
    }
}
