package io.edgenfsd.vfs;

/** Identity of a file on the host: device and inode number. */
public record FileKey(long dev, long ino) {
}
