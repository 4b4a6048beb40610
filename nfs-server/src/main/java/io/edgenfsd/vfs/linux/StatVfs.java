package io.edgenfsd.vfs.linux;

/**
 * The result of {@code statvfs(3)}. Block counts are in units of {@code frsize}; all counts are unsigned
 * 64-bit values (they fit a signed long on every real filesystem).
 */
public record StatVfs(long blocks, long bfree, long bavail, long files, long ffree, long favail,
                      long bsize, long frsize, long namemax, long fsid, long flag) {

    public static final long ST_RDONLY = 1;
    public static final long ST_NOSUID = 2;

    public long totalBytes() {
        return blocks * frsize;
    }

    public long freeBytes() {
        return bfree * frsize;
    }

    public long availableBytes() {
        return bavail * frsize;
    }

    public boolean readOnly() {
        return (flag & ST_RDONLY) != 0;
    }
}
