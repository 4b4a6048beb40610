package io.edgenfsd.vfs.linux;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A kernel file handle as returned by {@code name_to_handle_at(2)}: the filesystem-specific handle type, the
 * opaque handle bytes, and the mount id the object was on when the handle was taken ({@code -1} when unknown,
 * e.g. after decoding a handle from the wire: mount ids are not stable across reboots and are not part of the
 * wire handle).
 *
 * <p>The array is defensively copied in and out.
 */
public record KernelHandle(int type, byte[] bytes, int mountId) {

    /** MAX_HANDLE_SZ in the kernel. */
    public static final int MAX_BYTES = 128;

    public KernelHandle {
        if (bytes == null || bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("kernel handle must have 1.." + MAX_BYTES + " bytes");
        }
        bytes = Arrays.copyOf(bytes, bytes.length);
    }

    @Override
    public byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    int length() {
        return bytes.length;
    }

    byte byteAt(int i) {
        return bytes[i];
    }

    /** Equal type and bytes (the mount id is ignored: it is not part of the object's identity). */
    public boolean sameObjectAs(KernelHandle other) {
        return other != null && type == other.type && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelHandle k && type == k.type && mountId == k.mountId && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + mountId) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "KernelHandle[type=" + type + ", bytes=" + HexFormat.of().formatHex(bytes) + ", mountId=" + mountId + "]";
    }
}
