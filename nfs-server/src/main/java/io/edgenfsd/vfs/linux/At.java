package io.edgenfsd.vfs.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Descriptor-relative system calls: every name is one component looked up in a directory given by an fd,
 * or the empty name with {@code AT_EMPTY_PATH} for the object an fd refers to. Nothing here takes a path
 * string, so nothing here can be redirected by a symbolic link swapped into a path (issue 11; this is
 * how NFS-Ganesha's FSAL_VFS reaches objects).
 *
 * <p>{@code openat2(2)} with {@code RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV}
 * is used where the kernel has it (5.6+, probed once); otherwise {@code openat(2)} with {@code O_NOFOLLOW}
 * on a single component, and the caller checks mount crossing with {@code statx}'s mount id.
 *
 * <p>Every failure is an {@link ErrnoException} carrying the errno number. glibc functions are bound by JNA
 * direct mapping (one native call, no proxy); calls glibc may lack go through {@code syscall(2)} with the
 * numbers of {@link Arch}.
 */
public final class At {
    private At() {
    }

    public static final int AT_FDCWD = LinuxCalls.AT_FDCWD;
    public static final int AT_SYMLINK_NOFOLLOW = LinuxCalls.AT_SYMLINK_NOFOLLOW;
    public static final int AT_EMPTY_PATH = LinuxCalls.AT_EMPTY_PATH;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EACCESS = 0x200;
    public static final int R_OK = 4;
    public static final int W_OK = 2;
    public static final int X_OK = 1;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;

    // errno values the callers test for (asm-generic, identical on x86-64, arm and arm64)
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int EOPNOTSUPP = 95;
    public static final int E2BIG = 7;

    static final long RESOLVE_NO_XDEV = 0x01;
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_NO_SYMLINKS = 0x04;
    static final long RESOLVE_BENEATH = 0x08;
    /** Linux 5.12+: fail with EAGAIN unless every component is in the dentry cache (no disk read). */
    static final long RESOLVE_CACHED = 0x20;
    static final int EAGAIN = 11;
    /** What every name lookup on a client's behalf uses. */
    static final long RESOLVE_CONFINED = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;

    /** System call numbers glibc may not wrap; the same on x86-64, arm64 and arm where marked "all". */
    static final int NR_OPENAT2 = 437;      // all
    static final int NR_FACCESSAT2 = 439;   // all
    static final int NR_FCHMODAT2 = 452;    // all (Linux 6.6)
    static final int NR_UTIMENSAT = utimensatNr(Arch.CURRENT);
    static final int NR_GETDENTS64 = pick(Arch.CURRENT, 217, 61, 217);
    static final int NR_UNSHARE = pick(Arch.CURRENT, 272, 97, 337);
    static final int NR_MEMFD_CREATE = pick(Arch.CURRENT, 319, 279, 385);

    /** utimensat, or on 32-bit arm utimensat_time64 (412): the call whose struct has 64-bit seconds there. */
    static int utimensatNr(Arch a) {
        return pick(a, 280, 88, 412);
    }

    static int pick(Arch a, int x86, int arm64, int arm) {
        return switch (a) {
            case X86_64 -> x86;
            case AARCH64 -> arm64;
            case ARM -> arm;
            default -> -1;
        };
    }

    /** glibc calls present on every supported glibc (2.17+), direct-mapped. */
    static final class Libc {
        static final boolean AVAILABLE = LinuxCalls.registerDirect(Libc.class);

        private Libc() {
        }

        static native int openat(int dirfd, byte[] path, int flags, int mode);

        static native int mkdirat(int dirfd, byte[] path, int mode);

        static native int symlinkat(byte[] target, int newdirfd, byte[] linkpath);

        static native NativeLong readlinkat(int dirfd, byte[] path, byte[] buf, NativeLong size);

        static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

        static native int unlinkat(int dirfd, byte[] path, int flags);

        static native int renameat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath);

        static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags);

        static native int fchmod(int fd, int mode);

        static native int ftruncate64(int fd, long length);

        static native int fsync(int fd);

        static native int fallocate64(int fd, int mode, long offset, long len);

        static native long lseek64(int fd, long offset, int whence);

        static native int fdatasync(int fd);

        static native int fsetxattr(int fd, byte[] name, byte[] value, NativeLong size, int flags);

        static native NativeLong fgetxattr(int fd, byte[] name, byte[] value, NativeLong size);

        static native int fstatvfs64(int fd, Pointer buf);

        static native NativeLong flistxattr(int fd, byte[] list, NativeLong size);

        static native int fremovexattr(int fd, byte[] name);

        static native int umask(int mask);

        static native int close(int fd);

        static native int dup3(int oldfd, int newfd, int flags);

        static native int poll(Pointer fds, NativeLong nfds, int timeout);
    }

    /** syscall(nr, int, char *, int, int): faccessat2, fchmodat2, mknodat. */
    static final class SysIBII {
        static final boolean AVAILABLE = LinuxCalls.registerDirect(SysIBII.class);

        private SysIBII() {
        }

        static native NativeLong syscall(NativeLong nr, int a, byte[] b, int c, int d);
    }

    /** syscall(nr, int, char *, void *, size_t or int): openat2, utimensat. */
    static final class SysIBPL {
        static final boolean AVAILABLE = LinuxCalls.registerDirect(SysIBPL.class);

        private SysIBPL() {
        }

        static native NativeLong syscall(NativeLong nr, int a, byte[] b, Pointer c, NativeLong d);
    }

    /** syscall(nr, int, void *, int): getdents64; syscall(nr, int) as (flags, NULL, 0) for unshare. */
    static final class SysIPI {
        static final boolean AVAILABLE = LinuxCalls.registerDirect(SysIPI.class);

        private SysIPI() {
        }

        static native NativeLong syscall(NativeLong nr, int a, Pointer b, int c);
    }

    /** copy_file_range(2) (glibc 2.27+): bound on its own so an older libc loses only COPY. */
    static final class CopyRange {
        static final boolean AVAILABLE = LinuxCalls.registerDirect(CopyRange.class);

        private CopyRange() {
        }

        static native NativeLong copy_file_range(int fdIn, long[] offIn, int fdOut, long[] offOut, NativeLong len,
                                                 int flags);
    }

    private static final byte[] EMPTY = {0};

    /** NUL-terminated bytes of one name component (UTF-8, as clients send them). */
    public static byte[] name(String n) {
        byte[] b = n.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                throw new IllegalArgumentException("name contains a NUL byte");
            }
            out[i] = b[i];
        }
        return out;
    }

    private static void check(int rc, String what, Object file) throws ErrnoException {
        if (rc < 0) {
            throw ErrnoException.of(Native.getLastError(), what, file);
        }
    }

    private static long check(NativeLong rc, String what, Object file) throws ErrnoException {
        long v = rc.longValue();
        if (v < 0) {
            throw ErrnoException.of(Native.getLastError(), what, file);
        }
        return v;
    }

    // ---------------------------------------------------------------- probes

    private static final ThreadLocal<Memory> HOW = ThreadLocal.withInitial(() -> new Memory(24));
    private static final boolean OPENAT2 = probeOpenat2();

    private static boolean probeOpenat2() {
        if (!Arch.CURRENT.supported() || !SysIBPL.AVAILABLE) {
            return false;
        }
        try {
            int fd = openat2(AT_FDCWD, name("/"), LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY, 0, 0);
            close(fd);
            return !Boolean.getBoolean("edge.nfsd.noOpenat2");
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static final boolean RESOLVE_CACHED_WORKS = OPENAT2 && probeResolveCached();

    private static boolean probeResolveCached() {
        try {
            close(openat2(AT_FDCWD, name("/"), LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY, 0, RESOLVE_CACHED));
            return true;
        } catch (ErrnoException e) {
            return e.errno() == EAGAIN; // EINVAL: a kernel before 5.12
        }
    }

    /** Whether {@link #openBeneathIfCached} can tell a cached name from one that needs the disk. */
    public static boolean hasResolveCached() {
        return RESOLVE_CACHED_WORKS;
    }

    /** {@link #openBeneathIfCached}'s answer when the name is not in the dentry cache. */
    public static final int NOT_CACHED = -2;

    /**
     * {@link #openBeneathIfExists} (O_PATH, confined), but only from the dentry cache: -1 when the name is
     * known not to exist, {@link #NOT_CACHED} when finding out would read the disk, or the name crosses a
     * mount or the kernel cannot tell (before 5.12). For the event loop, which must not wait.
     */
    public static int openBeneathIfCached(int dirfd, String name) throws ErrnoException {
        if (!RESOLVE_CACHED_WORKS) {
            return NOT_CACHED;
        }
        long fd = openat2Raw(dirfd, name(name), LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW | LinuxCalls.O_CLOEXEC,
                RESOLVE_CONFINED | RESOLVE_CACHED);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == ENOENT) {
                return -1;
            }
            if (errno == EAGAIN || errno == EXDEV) {
                return NOT_CACHED;
            }
            throw ErrnoException.of(errno, "openat2", name);
        }
        return (int) fd;
    }

    /** Whether name lookups use openat2 with RESOLVE_* (else single-component openat with O_NOFOLLOW). */
    public static boolean hasOpenat2() {
        return OPENAT2;
    }

    // ---------------------------------------------------------------- opening

    private static int openat2(int dirfd, byte[] name, int flags, int mode, long resolve) throws ErrnoException {
        Memory how = HOW.get();
        how.setLong(0, Integer.toUnsignedLong(flags | LinuxCalls.O_CLOEXEC));  // struct open_how: u64 flags,
        how.setLong(8, mode);                                                    // u64 mode,
        how.setLong(16, resolve);                                                // u64 resolve
        return (int) check(SysIBPL.syscall(new NativeLong(NR_OPENAT2), dirfd, name, how, new NativeLong(24)),
                "openat2", new String(name, 0, name.length - 1, StandardCharsets.UTF_8));
    }

    /**
     * Opens one name in a directory fd without following a symbolic link, without leaving the directory
     * and without crossing a mount (EXDEV; on kernels without openat2 the caller compares mount ids). A
     * final symbolic link with {@code O_PATH} gives an fd of the link itself.
     */
    public static int openBeneath(int dirfd, String name, int flags, int mode) throws ErrnoException {
        byte[] n = name(name);
        if (OPENAT2) {
            return openat2(dirfd, n, flags | LinuxCalls.O_NOFOLLOW, mode, RESOLVE_CONFINED);
        }
        return openat(dirfd, n, flags | LinuxCalls.O_NOFOLLOW, mode);
    }

    /** openat2(2) as the kernel answers it: the fd, or a negative value with the errno in Native.getLastError(). */
    private static long openat2Raw(int dirfd, byte[] name, int flags, long resolve) {
        Memory how = HOW.get();
        how.setLong(0, Integer.toUnsignedLong(flags));  // struct open_how: u64 flags, u64 mode, u64 resolve
        how.setLong(8, 0);
        how.setLong(16, resolve);
        return SysIBPL.syscall(new NativeLong(NR_OPENAT2), dirfd, name, how, new NativeLong(24)).longValue();
    }

    /** {@link #openBeneath} with O_PATH, or -1 when there is no such name (no exception for the usual case). */
    public static int openBeneathIfExists(int dirfd, String name) throws ErrnoException {
        byte[] n = name(name);
        int flags = LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW | LinuxCalls.O_CLOEXEC;
        long fd;
        if (OPENAT2) {
            fd = openat2Raw(dirfd, n, flags, RESOLVE_CONFINED);
        } else {
            fd = Libc.openat(dirfd, n, flags, 0);
        }
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == ENOENT) {
                return -1;
            }
            throw ErrnoException.of(errno, "openat", name);
        }
        return (int) fd;
    }

    /** The parent of a directory fd ("..", which RESOLVE_BENEATH forbids): no symbolic link, no mount crossed. */
    public static int openParent(int dirfd) throws ErrnoException {
        byte[] n = name("..");
        if (OPENAT2) {
            return openat2(dirfd, n, LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY | LinuxCalls.O_NOFOLLOW, 0,
                    RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
        }
        return openat(dirfd, n, LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY | LinuxCalls.O_NOFOLLOW, 0);
    }

    /**
     * Opens one name in a directory fd as {@link #openBeneath} does (no symbolic link followed, never outside
     * the directory) but lets the one step onto a mount mounted there happen: the fd is the mounted
     * filesystem's root (crossmnt, see LocalFs). A final symbolic link gives the link itself.
     */
    public static int openCrossing(int dirfd, String name) throws ErrnoException {
        byte[] n = name(name);
        int flags = LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW;
        if (OPENAT2) {
            return openat2(dirfd, n, flags, 0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        }
        return openat(dirfd, n, flags, 0); // one component with O_NOFOLLOW: no link followed, mounts are
    }

    /**
     * The parent of a directory fd that may be the root of a mount: ".." from a mount's root steps to the
     * parent of the directory it covers (the kernel's follow_dotdot); no symbolic link followed.
     */
    public static int openParentCrossing(int dirfd) throws ErrnoException {
        byte[] n = name("..");
        int flags = LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY | LinuxCalls.O_NOFOLLOW;
        if (OPENAT2) {
            return openat2(dirfd, n, flags, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        }
        return openat(dirfd, n, flags, 0);
    }

    /**
     * The inode number getdents64 reports for {@code name} in a directory fd opened for reading, or -1: for
     * a mount point it is the covered directory's (what mounted_on_fileid needs), not the mounted root's.
     */
    public static long entryIno(int dirfd, String name) throws ErrnoException {
        byte[] want = name.getBytes(StandardCharsets.UTF_8);
        Memory buf = new Memory(32 * 1024);
        while (true) {
            long n = check(SysIPI.syscall(new NativeLong(NR_GETDENTS64), dirfd, buf, (int) buf.size()), "getdents64",
                    "directory");
            if (n == 0) {
                return -1;
            }
            for (long off = 0; off < n; ) {
                int reclen = buf.getShort(off + 16) & 0xffff;
                if (java.util.Arrays.equals(nulTerminated(buf, off + 19, reclen - 19), want)) {
                    return buf.getLong(off);
                }
                off += reclen;
            }
        }
    }

    /**
     * Whether the mount table changed since the last call on this fd of {@code /proc/self/mountinfo}: poll(2)
     * reports POLLPRI|POLLERR once per change (proc(5), mounts_poll); costs one system call, never waits.
     */
    public static boolean mountTableChanged(int mountinfoFd) throws ErrnoException {
        Memory p = new Memory(8); // struct pollfd { int fd; short events; short revents; }
        p.setInt(0, mountinfoFd);
        p.setShort(4, (short) 0x2 /* POLLPRI */);
        p.setShort(6, (short) 0);
        int rc = Libc.poll(p, new NativeLong(1), 0);
        check(rc, "poll", "mountinfo");
        return rc > 0 && (p.getShort(6) & (0x2 | 0x8 /* POLLERR */)) != 0;
    }

    /** A directory fd opened again for reading ({@code openat(fd, ".")}): READDIR, fsync, fchmod. */
    public static int reopenDirectory(int dirfd) throws ErrnoException {
        return openat(dirfd, name("."), LinuxCalls.O_RDONLY | LinuxCalls.O_DIRECTORY, 0);
    }

    private static int openat(int dirfd, byte[] name, int flags, int mode) throws ErrnoException {
        int fd = Libc.openat(dirfd, name, flags | LinuxCalls.O_CLOEXEC | Arch.CURRENT.oLargefile, mode);
        check(fd, "openat", new String(name, 0, name.length - 1, StandardCharsets.UTF_8));
        return fd;
    }

    /** An absolute path opened by the administrator's configuration (export roots), following links in it. */
    public static int openTrusted(String path, int flags) throws ErrnoException {
        return openat(AT_FDCWD, name(path), flags, 0);
    }

    /** One empty, nameless file (memfd: no link, nlink 0) that {@link #retire} puts in place of an fd. */
    private static volatile int retiredFile = -1;

    private static synchronized int retiredFile() throws ErrnoException {
        if (retiredFile < 0) {
            retiredFile = (int) memfdCreate();
        }
        return retiredFile;
    }

    private static long memfdCreate() throws ErrnoException {
        try {
            return LinuxCalls.syscall(NR_MEMFD_CREATE, name("edge-nfsd-retired"), 1 /* MFD_CLOEXEC */);
        } catch (com.sun.jna.LastErrorException e) {
            throw ErrnoException.of(e.getErrorCode(), "memfd_create", null);
        }
    }

    /**
     * Lets go of what {@code fd} refers to while keeping the number taken: dup3 puts an empty memfd in its
     * place atomically, so a thread still using the number reaches that (nlink 0, no data), never a file
     * opened later under a reused number; the number itself is closed by its owner as usual.
     */
    public static void retire(int fd) throws ErrnoException {
        int r = retiredFile();
        if (Libc.dup3(r, fd, LinuxCalls.O_CLOEXEC) < 0) {
            throw ErrnoException.of(Native.getLastError(), "dup3", fd);
        }
    }

    public static void close(int fd) {
        if (fd >= 0) {
            Libc.close(fd); // on Linux the fd is gone even when close reports an error
        }
    }

    // ---------------------------------------------------------------- attributes

    /** statx of one name in a directory, not following a symbolic link; null when there is none (ENOENT). */
    public static Stat statAt(int dirfd, String name) throws ErrnoException {
        return statx(dirfd, name(name), AT_SYMLINK_NOFOLLOW, true, name);
    }

    /** statx of what an fd (O_PATH included) refers to. */
    public static Stat fstat(int fd) throws ErrnoException {
        return statx(fd, EMPTY, AT_EMPTY_PATH, false, "fd");
    }

    private static Stat statx(int dirfd, byte[] name, int flags, boolean missingIsNull, Object what)
            throws ErrnoException {
        Memory b = LinuxCalls.STATX_BUFFER.get();
        b.clear();
        int rc = LinuxCalls.FastStatx.statx(dirfd, name, flags, LinuxCalls.FastStatx.MASK, b);
        if (rc != 0) {
            int errno = Native.getLastError();
            if (missingIsNull && errno == ENOENT) {
                return null;
            }
            throw ErrnoException.of(errno, "statx", what);
        }
        return LinuxCalls.parseStatx(b);
    }

    /**
     * {@code faccessat2(fd, "", mode, AT_EACCESS|AT_EMPTY_PATH)}: whether the thread's filesystem identity
     * may read/write/execute the object (EACCES if not). False when the kernel lacks faccessat2 (< 5.8).
     */
    public static boolean access(int fd, int mode) throws ErrnoException {
        try {
            check(SysIBII.syscall(new NativeLong(NR_FACCESSAT2), fd, EMPTY, mode, AT_EACCESS | AT_EMPTY_PATH),
                    "faccessat2", "fd");
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == ENOSYS) {
                return false;
            }
            throw e;
        }
    }

    public static void fchownEmpty(int fd, int uid, int gid) throws ErrnoException {
        check(Libc.fchownat(fd, EMPTY, uid, gid, AT_EMPTY_PATH), "fchownat", "fd");
    }

    private static volatile boolean noFchmodat2;

    /**
     * chmod of what an O_PATH fd refers to: {@code fchmodat2(fd, "", mode, AT_EMPTY_PATH)} (6.6+). Returns
     * false where the kernel lacks it; the caller then uses {@link #fchmod} on a real fd.
     */
    public static boolean chmodEmpty(int fd, int mode) throws ErrnoException {
        if (noFchmodat2) {
            return false;
        }
        try {
            check(SysIBII.syscall(new NativeLong(NR_FCHMODAT2), fd, EMPTY, mode, AT_EMPTY_PATH), "fchmodat2", "fd");
            return true;
        } catch (ErrnoException e) {
            if (e.errno() == ENOSYS) {
                noFchmodat2 = true;
                return false;
            }
            throw e;
        }
    }

    public static void fchmod(int fd, int mode) throws ErrnoException {
        check(Libc.fchmod(fd, mode), "fchmod", "fd");
    }

    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    private static final ThreadLocal<Memory> TIMES = ThreadLocal.withInitial(() -> new Memory(32));

    /**
     * Sets atime/mtime (nanoseconds since the epoch, or {@link #UTIME_NOW}/{@link #UTIME_OMIT}) of what an
     * fd refers to, with 64-bit seconds on every architecture (struct __kernel_timespec; utimensat_time64
     * on 32-bit arm, so 2100-01-01 stays 2100-01-01). {@code fd} may be O_PATH (AT_EMPTY_PATH).
     */
    public static void setTimes(int fd, long atimeNs, long mtimeNs) throws ErrnoException {
        Memory t = TIMES.get();
        timespec64(t, 0, atimeNs);
        timespec64(t, 16, mtimeNs);
        check(SysIBPL.syscall(new NativeLong(NR_UTIMENSAT), fd, EMPTY, t, new NativeLong(AT_EMPTY_PATH)),
                "utimensat", "fd");
    }

    /** Writes one struct __kernel_timespec {s64 tv_sec; s64 tv_nsec;} (the layout on every architecture). */
    static void timespec64(Memory m, long off, long ns) {
        if (ns == UTIME_NOW || ns == UTIME_OMIT) {
            m.setLong(off, 0);
            m.setLong(off + 8, ns);
        } else {
            m.setLong(off, Math.floorDiv(ns, 1_000_000_000L));
            m.setLong(off + 8, Math.floorMod(ns, 1_000_000_000L));
        }
    }

    public static void ftruncate(int fd, long length) throws ErrnoException {
        check(Libc.ftruncate64(fd, length), "ftruncate", "fd");
    }

    /** fallocate(2)'s mode bits (linux/falloc.h). */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    /** lseek(2) whence values for sparse files (SEEK_DATA, SEEK_HOLE). */
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static void fallocate(int fd, int mode, long offset, long length) throws ErrnoException {
        check(Libc.fallocate64(fd, mode, offset, length), "fallocate", "fd");
    }

    /** lseek(2); ENXIO when {@code offset} is at or beyond the end for SEEK_DATA/SEEK_HOLE. */
    public static long lseek(int fd, long offset, int whence) throws ErrnoException {
        long r = Libc.lseek64(fd, offset, whence);
        if (r < 0) {
            throw ErrnoException.of(Native.getLastError(), "lseek", "fd");
        }
        return r;
    }

    /**
     * copy_file_range(2) of up to {@code length} bytes; the kernel copies (or reflinks) without the data
     * passing through user space. Returns the bytes copied, 0 at the source's end. EOPNOTSUPP where the
     * libc lacks it.
     */
    public static long copyFileRange(int in, long inOffset, int out, long outOffset, long length)
            throws ErrnoException {
        if (!CopyRange.AVAILABLE) {
            throw ErrnoException.of(95, "copy_file_range", "fd");
        }
        return check(CopyRange.copy_file_range(in, new long[] {inOffset}, out, new long[] {outOffset},
                new NativeLong(length), 0), "copy_file_range", "fd");
    }

    public static void fsync(int fd, boolean metadata) throws ErrnoException {
        check(metadata ? Libc.fsync(fd) : Libc.fdatasync(fd), metadata ? "fsync" : "fdatasync", "fd");
    }

    /** fsetxattr(2) with {@code flags} XATTR_CREATE (1) or XATTR_REPLACE (2) or 0. */
    public static void setXattr(int fd, String name, byte[] value, int flags) throws ErrnoException {
        check(Libc.fsetxattr(fd, name(name), value, new NativeLong(value.length), flags), "fsetxattr", name);
    }

    /** The names of an object's xattrs, every namespace (flistxattr(2)). */
    public static java.util.List<String> listXattrs(int fd) throws ErrnoException {
        long n = check(Libc.flistxattr(fd, null, new NativeLong(0)), "flistxattr", "fd");
        byte[] buf = new byte[(int) Math.max(n, 1)];
        n = check(Libc.flistxattr(fd, buf, new NativeLong(buf.length)), "flistxattr", "fd");
        java.util.List<String> names = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    public static void removeXattr(int fd, String name) throws ErrnoException {
        check(Libc.fremovexattr(fd, name(name)), "fremovexattr", name);
    }

    public static void setXattr(int fd, String name, byte[] value) throws ErrnoException {
        check(Libc.fsetxattr(fd, name(name), value, new NativeLong(value.length), 0), "fsetxattr", name);
    }

    /** The xattr's value, or null when the object has none of that name. */
    public static byte[] getXattr(int fd, String name, int max) throws ErrnoException {
        byte[] buf = new byte[max];
        long n = Libc.fgetxattr(fd, name(name), buf, new NativeLong(max)).longValue();
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == 61 /* ENODATA */) {
                return null;
            }
            throw ErrnoException.of(errno, "fgetxattr", name);
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, 0, out, 0, out.length);
        return out;
    }

    /** {@code fstatvfs} of the filesystem an fd (O_PATH included) is on; an error is an error, never "0 free". */
    public static StatVfs statvfs(int fd) throws ErrnoException {
        Memory buf = new Memory(256);
        buf.clear();
        check(Libc.fstatvfs64(fd, buf), "fstatvfs", "fd");
        return LinuxCalls.parseStatvfs(buf);
    }

    // ---------------------------------------------------------------- namespace changes

    public static void mkdir(int dirfd, String name, int mode) throws ErrnoException {
        check(Libc.mkdirat(dirfd, name(name), mode), "mkdirat", name);
    }

    public static void symlink(int dirfd, String name, String target) throws ErrnoException {
        check(Libc.symlinkat(name(target), dirfd, name(name)), "symlinkat", name);
    }

    /** mknodat; {@code dev} in glibc's encoding. */
    public static void mknod(int dirfd, String name, int mode, long dev) throws ErrnoException {
        int kdev = LinuxCalls.kernelDev(LinuxCalls.major(dev), LinuxCalls.minor(dev));
        check(SysIBII.syscall(new NativeLong(Arch.CURRENT.mknodat), dirfd, name(name), mode, kdev), "mknodat", name);
    }

    /** Creates (O_CREAT|O_EXCL, never through a symbolic link) and returns an fd opened read-only. */
    public static int createFile(int dirfd, String name, int mode) throws ErrnoException {
        byte[] n = name(name);
        int flags = LinuxCalls.O_RDONLY | O_CREAT | O_EXCL | LinuxCalls.O_NOFOLLOW;
        if (OPENAT2) {
            return openat2(dirfd, n, flags, mode, RESOLVE_CONFINED);
        }
        return openat(dirfd, n, flags, mode);
    }

    public static void unlink(int dirfd, String name, boolean directory) throws ErrnoException {
        check(Libc.unlinkat(dirfd, name(name), directory ? AT_REMOVEDIR : 0), "unlinkat", name);
    }

    public static void rename(int fromDir, String from, int toDir, String to) throws ErrnoException {
        check(Libc.renameat(fromDir, name(from), toDir, name(to)), "renameat", from);
    }

    /** {@code linkat(fd, "", dirfd, name, AT_EMPTY_PATH)}: a new name for what fd refers to (needs CAP_DAC_READ_SEARCH). */
    public static void linkEmpty(int fd, int dirfd, String name) throws ErrnoException {
        check(Libc.linkat(fd, EMPTY, dirfd, name(name), AT_EMPTY_PATH), "linkat", name);
    }

    /** {@code linkat(dirfd, old, newdir, name, 0)}: a final symbolic link is linked itself, not followed. */
    public static void link(int dirfd, String old, int newDir, String name) throws ErrnoException {
        check(Libc.linkat(dirfd, name(old), newDir, name(name), 0), "linkat", name);
    }

    /** The text of the symbolic link an O_PATH fd refers to, byte for byte. */
    public static byte[] readlink(int fd) throws ErrnoException {
        byte[] buf = new byte[4097];
        long n = check(Libc.readlinkat(fd, EMPTY, buf, new NativeLong(buf.length)), "readlinkat", "fd");
        byte[] out = new byte[(int) Math.min(n, 4096)];
        System.arraycopy(buf, 0, out, 0, out.length);
        return out;
    }

    /** The names in a directory fd opened for reading (getdents64), without "." and "..". */
    public static List<byte[]> list(int dirfd) throws ErrnoException {
        List<byte[]> names = new ArrayList<>();
        Memory buf = new Memory(32 * 1024);
        while (true) {
            long n = check(SysIPI.syscall(new NativeLong(NR_GETDENTS64), dirfd, buf, (int) buf.size()), "getdents64",
                    "directory");
            if (n == 0) {
                return names;
            }
            // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
            for (long off = 0; off < n; ) {
                int reclen = buf.getShort(off + 16) & 0xffff;
                byte[] name = nulTerminated(buf, off + 19, reclen - 19);
                if (!(name.length == 1 && name[0] == '.') && !(name.length == 2 && name[0] == '.' && name[1] == '.')) {
                    names.add(name);
                }
                off += reclen;
            }
        }
    }

    private static byte[] nulTerminated(Pointer p, long off, int max) {
        byte[] b = p.getByteArray(off, max);
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        byte[] out = new byte[len];
        System.arraycopy(b, 0, out, 0, len);
        return out;
    }

    // ---------------------------------------------------------------- kernel handles of fds

    /** The kernel handle of what an fd refers to ({@code name_to_handle_at(fd, "", AT_EMPTY_PATH)}). */
    public static KernelHandle handleOf(int fd) throws ErrnoException {
        return LinuxCalls.FastHandle.nameToHandleAt(fd, EMPTY, AT_EMPTY_PATH);
    }

    /**
     * {@link #handleAt}, or null when there is no such name. Refuses (IllegalArgumentException) anything but
     * one component: "." and ".." would leave the directory, which openat2 with RESOLVE_BENEATH forbids.
     */
    public static KernelHandle handleAtIfExists(int dirfd, String name) throws ErrnoException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a single name component: " + name);
        }
        return LinuxCalls.FastHandle.nameToHandleAt(dirfd, name(name), 0, true);
    }

    /** The kernel handle of one name in a directory, not following a final symbolic link. */
    public static KernelHandle handleAt(int dirfd, String name) throws ErrnoException {
        return LinuxCalls.FastHandle.nameToHandleAt(dirfd, name(name), 0);
    }

    // ---------------------------------------------------------------- process and thread

    /** Sets the process umask (all threads that share the filesystem context). */
    public static int umask(int mask) {
        return Libc.umask(mask);
    }

    private static final ThreadLocal<Boolean> OWN_UMASK = new ThreadLocal<>();

    /**
     * Gives the calling thread its own filesystem context ({@code unshare(CLONE_FS)}) with umask 0, so files
     * it creates for clients get exactly the client's mode while the daemon's own files keep umask 077.
     * Returns false if the kernel refused (the caller then sets the exact mode afterwards).
     */
    public static boolean threadUmaskZero() {
        Boolean done = OWN_UMASK.get();
        if (done == null) {
            long rc = SysIPI.syscall(new NativeLong(NR_UNSHARE), 0x00000200 /* CLONE_FS */, Pointer.NULL, 0).longValue();
            done = rc == 0;
            if (done) {
                Libc.umask(0);
            }
            OWN_UMASK.set(done);
        }
        return done;
    }
}
