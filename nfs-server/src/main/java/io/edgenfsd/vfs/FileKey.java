package io.edgenfsd.vfs;

import java.util.Arrays;

/**
 * Identity of a file on the host: device, inode number, and a generation that tells apart two files that
 * had the same inode number one after the other (ext4 reuses numbers at once). The generation is a hash
 * of the object's file handle; it is 0 where only (device, inode) is known (e.g. from a plain stat).
 */
public record FileKey(long dev, long ino, long generation) {
    public FileKey(long dev, long ino) {
        this(dev, ino, 0);
    }

    /** The key of an object whose file handle is {@code handle}. */
    public static FileKey of(long dev, long ino, byte[] handle) {
        long h = Arrays.hashCode(handle);
        for (byte b : handle) {
            h = h * 1_000_003L + b;
        }
        return new FileKey(dev, ino, h == 0 ? 1 : h);
    }

    public boolean sameInode(FileKey o) {
        return dev == o.dev && ino == o.ino;
    }
}
