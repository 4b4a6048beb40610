package io.edgenfsd.vfs.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Linux project quotas (ext4 with the {@code project} and {@code quota} features mounted with
 * {@code prjquota}, or XFS with {@code pquota}): a directory tree is given a project id, inherited by
 * everything created in it ({@code FS_XFLAG_PROJINHERIT}), and the kernel limits the blocks that project
 * may hold, failing writes beyond it with EDQUOT.
 *
 * <p>Calls: {@code ioctl(FS_IOC_FSGETXATTR / FS_IOC_FSSETXATTR)} on a {@code struct fsxattr} (28 bytes:
 * xflags, extsize, nextents, projid, cowextsize, pad[8]) and {@code quotactl_fd(2)} (Linux 5.14, syscall
 * 443 on every architecture) with {@code QCMD(Q_GETQUOTA|Q_SETQUOTA, PRJQUOTA)} on a {@code struct
 * if_dqblk} (8 u64 then u32 dqb_valid; limits in 1 KiB blocks, current space in bytes).
 */
public final class ProjectQuota {
    private static final long FS_IOC_FSGETXATTR = 0x801C581FL;   // _IOR('X', 31, struct fsxattr)
    private static final long FS_IOC_FSSETXATTR = 0x401C5820L;   // _IOW('X', 32, struct fsxattr)
    private static final int FSXATTR_SIZE = 28;
    private static final int FSX_XFLAGS = 0;
    private static final int FSX_PROJID = 12;
    private static final int FS_XFLAG_PROJINHERIT = 0x200;

    private static final int SYS_QUOTACTL_FD = 443;
    private static final int PRJQUOTA = 2;
    private static final int Q_GETQUOTA = 0x800007;
    private static final int Q_SETQUOTA = 0x800008;
    private static final int QIF_BLIMITS = 1;
    private static final int DQBLK_SIZE = 72;                    // 8 x u64 + u32, padded to 8
    private static final int DQB_BHARDLIMIT = 0;
    private static final int DQB_BSOFTLIMIT = 8;
    private static final int DQB_CURSPACE = 16;
    private static final int DQB_VALID = 64;
    private static final int O_NONBLOCK = 04000;

    private interface Ioctl extends Library {
        int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;
    }

    private static final Ioctl C = Arch.CURRENT.supported() ? Native.load("c", Ioctl.class) : null;

    private ProjectQuota() {
    }

    /** A project's limit and what it holds now, in bytes. */
    public record Usage(long limitBytes, long usedBytes) {
    }

    /** The project id of the file or directory at {@code p}. */
    public static int projectId(Path p) throws IOException {
        int fd = openForAttrs(p, Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        try (Memory m = new Memory(FSXATTR_SIZE)) {
            getxattr(fd, m, p);
            return m.getInt(FSX_PROJID);
        } finally {
            LinuxCalls.close(fd);
        }
    }

    /** Whether the directory at {@code dir} has FS_XFLAG_PROJINHERIT (what is created in it joins its project). */
    public static boolean inherits(Path dir) throws IOException {
        int fd = openForAttrs(dir, true);
        try (Memory m = new Memory(FSXATTR_SIZE)) {
            getxattr(fd, m, dir);
            return (m.getInt(FSX_XFLAGS) & FS_XFLAG_PROJINHERIT) != 0;
        } finally {
            LinuxCalls.close(fd);
        }
    }

    /**
     * Whether a failure of these calls means "this filesystem has no project quotas" (the ioctls or quotactl
     * not supported, quotas not turned on: ENOTTY, EOPNOTSUPP, EINVAL, ENOSYS, ESRCH) rather than a real
     * error such as EPERM or ENOENT.
     */
    public static boolean unsupported(Throwable e) {
        if (e instanceof UnsupportedOperationException) {
            return true;
        }
        if (e instanceof ErrnoException x) {
            int n = x.errno();
            return n == ENOTTY || n == EOPNOTSUPP || n == EINVAL || n == ENOSYS || n == ESRCH;
        }
        return false;
    }

    private static final int ESRCH = 3;
    private static final int EINVAL = 22;
    private static final int ENOTTY = 25;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

    /**
     * Puts the tree under {@code dir} into project {@code projid}: the directory and every directory below
     * get the id and PROJINHERIT (so what is created later inherits it), regular files the id. Objects
     * already in the project are left alone; symlinks and special files are skipped (no blocks of note).
     */
    public static void assign(Path dir, int projid) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                set(d, true, projid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                if (a.isRegularFile()) {
                    set(f, false, projid);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void set(Path p, boolean directory, int projid) throws IOException {
        int fd = openForAttrs(p, directory);
        try (Memory m = new Memory(FSXATTR_SIZE)) {
            getxattr(fd, m, p);
            int flags = m.getInt(FSX_XFLAGS);
            int want = directory ? flags | FS_XFLAG_PROJINHERIT : flags;
            if (m.getInt(FSX_PROJID) == projid && flags == want) {
                return;
            }
            m.setInt(FSX_XFLAGS, want);
            m.setInt(FSX_PROJID, projid);
            try {
                C.ioctl(fd, new NativeLong(FS_IOC_FSSETXATTR), m);
            } catch (LastErrorException e) {
                throw LinuxCalls.error(e, "FS_IOC_FSSETXATTR (set project id " + projid + ")", p);
            }
        } finally {
            LinuxCalls.close(fd);
        }
    }

    /** Sets project {@code projid}'s hard (and soft) block limit to {@code bytes}, rounded up to 1 KiB. */
    public static void setLimit(Path onFs, int projid, long bytes) throws IOException {
        try (Memory q = new Memory(DQBLK_SIZE)) {
            q.clear();
            long blocks = (bytes + 1023) / 1024;
            q.setLong(DQB_BHARDLIMIT, blocks);
            q.setLong(DQB_BSOFTLIMIT, blocks);
            q.setInt(DQB_VALID, QIF_BLIMITS);
            quotactl(onFs, Q_SETQUOTA, projid, q);
        }
    }

    /** Project {@code projid}'s limit and current use (fails with an IOException where quotas are off). */
    public static Usage usage(Path onFs, int projid) throws IOException {
        try (Memory q = new Memory(DQBLK_SIZE)) {
            q.clear();
            quotactl(onFs, Q_GETQUOTA, projid, q);
            return new Usage(q.getLong(DQB_BHARDLIMIT) * 1024, q.getLong(DQB_CURSPACE));
        }
    }

    private static void quotactl(Path onFs, int cmd, int id, Pointer arg) throws IOException {
        Arch.CURRENT.require();
        int fd = LinuxCalls.open(onFs, LinuxCalls.O_RDONLY | Arch.CURRENT.oDirectory | Arch.CURRENT.oNofollow, 0);
        try {
            LinuxCalls.syscall(SYS_QUOTACTL_FD, fd, (cmd << 8) | PRJQUOTA, id, arg);
        } catch (LastErrorException e) {
            throw LinuxCalls.error(e, (cmd == Q_SETQUOTA ? "quotactl_fd(Q_SETQUOTA" : "quotactl_fd(Q_GETQUOTA")
                    + ", PRJQUOTA, " + id + ")", onFs);
        } finally {
            LinuxCalls.close(fd);
        }
    }

    private static int openForAttrs(Path p, boolean directory) throws IOException {
        Arch.CURRENT.require();
        int flags = LinuxCalls.O_RDONLY | Arch.CURRENT.oNofollow | O_NONBLOCK | (directory ? Arch.CURRENT.oDirectory : 0);
        return LinuxCalls.open(p, flags, 0);
    }

    private static void getxattr(int fd, Memory m, Path p) throws IOException {
        m.clear();
        try {
            C.ioctl(fd, new NativeLong(FS_IOC_FSGETXATTR), m);
        } catch (LastErrorException e) {
            throw LinuxCalls.error(e, "FS_IOC_FSGETXATTR", p);
        }
    }
}
