package io.edgenfsd.vfs.linux;

import java.time.Instant;

/**
 * The result of {@code statx(2)}. {@code dev} and {@code rdev} are in glibc's {@code dev_t} encoding (the same
 * numbers Java reports as {@code unix:dev} / {@code unix:rdev}); {@code uid}, {@code gid} and {@code nlink} are
 * unsigned 32-bit values carried in an {@code int}; {@code blocks} counts 512-byte units.
 * {@code btimeSec}/{@code btimeNsec} are meaningful only when {@link #hasBtime()}; {@code mountId} is -1 when
 * the kernel did not report it (STATX_MNT_ID needs Linux 5.8).
 */
public record Stat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev, long size, long blocks,
                   int blksize,
                   long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec, long ctimeSec, int ctimeNsec,
                   boolean hasBtime, long btimeSec, int btimeNsec, long mountId) {

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public int fileType() {
        return mode & S_IFMT;
    }

    /** Permission bits including setuid, setgid and sticky (07777). */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return fileType() == S_IFDIR;
    }

    public boolean isRegularFile() {
        return fileType() == S_IFREG;
    }

    public boolean isSymbolicLink() {
        return fileType() == S_IFLNK;
    }

    public Instant atime() {
        return Instant.ofEpochSecond(atimeSec, atimeNsec);
    }

    public Instant mtime() {
        return Instant.ofEpochSecond(mtimeSec, mtimeNsec);
    }

    public Instant ctime() {
        return Instant.ofEpochSecond(ctimeSec, ctimeNsec);
    }

    /** Birth time, or null when the filesystem does not report one. */
    public Instant btime() {
        return hasBtime ? Instant.ofEpochSecond(btimeSec, btimeNsec) : null;
    }

    public long uidUnsigned() {
        return Integer.toUnsignedLong(uid);
    }

    public long gidUnsigned() {
        return Integer.toUnsignedLong(gid);
    }
}
