package io.edgenfsd.state;

import java.util.Base64;

/** Map keys for opaque byte strings. */
final class Base64Key {
    private Base64Key() {
    }

    static String of(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
