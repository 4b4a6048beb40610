package io.edgenfsd.vfs;

/** What the server knows of one object, read with lstat semantics. Times are nanoseconds since the epoch. */
public record Stat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev, long size, long spaceUsed,
                   long atimeNs, long mtimeNs, long ctimeNs, long change) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    public FileKey key() {
        return new FileKey(dev, ino);
    }

    /** nfs_ftype4 (RFC 8881 section 5.8.1.2). */
    public int nfsType() {
        return switch (type()) {
            case S_IFREG -> 1;
            case S_IFDIR -> 2;
            case S_IFBLK -> 3;
            case S_IFCHR -> 4;
            case S_IFLNK -> 5;
            case S_IFSOCK -> 6;
            case S_IFIFO -> 7;
            default -> 1;
        };
    }
}
