package io.edgenfsd.vfs.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Linux system calls the VFS layer needs that Java does not offer: kernel file handles
 * ({@code name_to_handle_at(2)}, {@code open_by_handle_at(2)}), {@code statx(2)}, {@code mknodat(2)},
 * {@code statvfs(3)}. Raw system calls go through libc's {@code syscall(2)} with per-architecture numbers
 * ({@link Arch}); supported: linux x86-64, aarch64 and 32-bit arm.
 *
 * <p>Failures are {@link IOException}s carrying the errno text: ENOENT is {@link NoSuchFileException},
 * EACCES/EPERM {@link AccessDeniedException}, EEXIST {@link FileAlreadyExistsException}, ESTALE
 * {@link StaleHandleException}, anything else {@link ErrnoException}.
 *
 * <p>Threading: everything here is thread-safe. Calls run with the calling thread's filesystem credentials
 * ({@link ThreadCredentials}); note that {@code open_by_handle_at} needs CAP_DAC_READ_SEARCH, which the kernel
 * drops from a thread whose fsuid is not 0, so resolve handles before {@link ThreadCredentials#become}.
 */
public final class LinuxCalls {

    private LinuxCalls() {
    }

    /** open(2) flags. O_DIRECTORY and O_NOFOLLOW differ between x86 and arm; these are the current arch's. */
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    public static final int O_DIRECTORY = Arch.CURRENT.oDirectory;
    public static final int O_NOFOLLOW = Arch.CURRENT.oNofollow;

    /** Mode bits for {@link #mknod}. */
    public static final int S_IFIFO = Stat.S_IFIFO;
    public static final int S_IFCHR = Stat.S_IFCHR;
    public static final int S_IFBLK = Stat.S_IFBLK;
    public static final int S_IFSOCK = Stat.S_IFSOCK;
    public static final int S_IFREG = Stat.S_IFREG;

    // errno values: identical on x86-64, arm and arm64 (asm-generic/errno*.h).
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int EOVERFLOW = 75;
    static final int EOPNOTSUPP = 95;
    static final int ESTALE = 116;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_SYMLINK_FOLLOW = 0x400;
    static final int AT_EMPTY_PATH = 0x1000;

    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_BTIME = 0x800;
    static final int STATX_MNT_ID = 0x1000;
    private static final int STATX_SIZE = 256;

    interface LibC extends Library {
        NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

        int open(byte[] path, int flags, int mode) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int statvfs(byte[] path, Pointer buf) throws LastErrorException;

        int statvfs64(byte[] path, Pointer buf) throws LastErrorException;

        String strerror(int errnum);

        int geteuid();

        int getegid();

        int sigaction(int signum, Pointer act, Pointer oldact) throws LastErrorException;

        Pointer signal(int signum, Pointer handler) throws LastErrorException;
    }

    static final LibC LIBC = Arch.CURRENT.supported() ? Native.load("c", LibC.class) : null;

    /** Charset Java itself uses for file names (sun.jnu.encoding), so a Path maps to the same bytes here. */
    private static final Charset JNU = jnuCharset();

    private static Charset jnuCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    // ---------------------------------------------------------------- raw syscall plumbing

    static long syscall(int number, Object... args) {
        Arch.CURRENT.require();
        return LIBC.syscall(new NativeLong(number), args).longValue();
    }

    static byte[] cPath(Path path) {
        byte[] b = path.toString().getBytes(JNU);
        byte[] out = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                throw new IllegalArgumentException("path contains a NUL byte");
            }
            out[i] = b[i];
        }
        return out;
    }

    static Memory cPathMemory(Path path) {
        byte[] b = cPath(path);
        Memory m = new Memory(b.length);
        m.write(0, b, 0, b.length);
        return m;
    }

    static String strerror(int errno) {
        try {
            String s = LIBC == null ? null : LIBC.strerror(errno);
            return s == null ? "errno " + errno : s;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "errno " + errno;
        }
    }

    /** Turns a failed call into the most specific {@link IOException}. */
    static IOException error(LastErrorException e, String what, Object file) {
        return error(e.getErrorCode(), what, file);
    }

    static IOException error(int errno, String what, Object file) {
        String f = file == null ? null : file.toString();
        String reason = what + ": " + strerror(errno) + " (errno " + errno + ")";
        switch (errno) {
            case ENOENT:
                return new NoSuchFileException(f, null, reason);
            case EACCES:
            case EPERM:
                return new AccessDeniedException(f, null, reason);
            case EEXIST:
                return new FileAlreadyExistsException(f, null, reason);
            case ENOTEMPTY:
                return new DirectoryNotEmptyException(f);
            case ENOTDIR:
                return new NotDirectoryException(f);
            case ESTALE:
                return new StaleHandleException(f, reason);
            default:
                return new ErrnoException(f, errno, reason);
        }
    }

    // ---------------------------------------------------------------- file handles

    private static volatile Boolean handlesSupported;

    /**
     * True when this process can both take kernel file handles and open them again, i.e. the syscalls exist
     * and the process holds CAP_DAC_READ_SEARCH in the initial user namespace. Probed once, by a round trip
     * (take a handle of a directory, open it, compare inode numbers) on the first of {@code /},
     * {@code java.io.tmpdir} and the working directory whose filesystem supports handles.
     * Use {@link #handlesSupported(Path)} to check a particular export's filesystem.
     */
    public static boolean handlesSupported() {
        Boolean r = handlesSupported;
        if (r == null) {
            boolean ok = false;
            if (Arch.CURRENT.supported()) {
                for (String p : new String[] {"/", System.getProperty("java.io.tmpdir", "/tmp"),
                        System.getProperty("user.dir", ".")}) {
                    Boolean probe = probe(Path.of(p));
                    if (probe != null) {
                        ok = probe;
                        break;
                    }
                }
            }
            handlesSupported = r = ok;
        }
        return r;
    }

    /**
     * True when handles of objects on {@code dir}'s filesystem can be taken and opened by this process
     * (a full round trip on {@code dir}, not cached).
     */
    public static boolean handlesSupported(Path dir) {
        if (!Arch.CURRENT.supported()) {
            return false;
        }
        Boolean r = probe(dir);
        return r != null && r;
    }

    /** Round trip on dir: true ok, false no permission/no syscall, null = this filesystem cannot say. */
    private static Boolean probe(Path dir) {
        KernelHandle h;
        try {
            h = nameToHandle(dir, true);
        } catch (ErrnoException e) {
            return e.errno() == ENOSYS ? Boolean.FALSE : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int mountFd = -1;
        int fd = -1;
        try {
            mountFd = openMountFd(dir);
            fd = openByHandle(mountFd, h, O_PATH);
            return fstat(fd).ino() == stat(dir).ino();
        } catch (AccessDeniedException e) {
            return Boolean.FALSE;
        } catch (ErrnoException e) {
            return e.errno() == ENOSYS ? Boolean.FALSE : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            closeQuietly(fd);
            closeQuietly(mountFd);
        }
    }

    /**
     * {@code name_to_handle_at(AT_FDCWD, path, ...)}: the kernel handle of {@code path}. Does not need any
     * privilege (only search permission on the path).
     *
     * @param followSymlinks when false and path is a symbolic link, the handle is the link's own
     * @throws ErrnoException with errno EOPNOTSUPP when the filesystem cannot produce handles
     */
    public static KernelHandle nameToHandle(Path path, boolean followSymlinks) throws IOException {
        Path abs = path.toAbsolutePath();
        if (FastHandle.AVAILABLE) {
            return FastHandle.nameToHandle(abs, followSymlinks);
        }
        Memory name = cPathMemory(abs);
        Memory fh = new Memory(8 + KernelHandle.MAX_BYTES);
        fh.clear();
        fh.setInt(0, KernelHandle.MAX_BYTES);
        Memory mountId = new Memory(4);
        mountId.setInt(0, -1);
        try {
            syscall(Arch.CURRENT.nameToHandleAt, AT_FDCWD, name, fh, mountId,
                    followSymlinks ? AT_SYMLINK_FOLLOW : 0);
        } catch (LastErrorException e) {
            throw error(e, "name_to_handle_at", abs);
        }
        int len = fh.getInt(0);
        int type = fh.getInt(4);
        if (len <= 0 || len > KernelHandle.MAX_BYTES) {
            throw new ErrnoException(abs.toString(), EOVERFLOW, "name_to_handle_at returned handle_bytes=" + len);
        }
        return new KernelHandle(type, fh.getByteArray(8, len), mountId.getInt(0));
    }

    /** Binds a class's native methods to libc (JNA direct mapping); false where libc lacks one of them. */
    static boolean registerDirect(Class<?> c) {
        try {
            Native.register(c, Platform.C_LIBRARY_NAME);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * glibc's name_to_handle_at(2) wrapper, direct-mapped with Java arrays (copied in and out by JNA): every
     * PUTFH checks its path hint with it, and the generic syscall() through a proxy with three native
     * allocations cost several times more. Absent on glibc before 2.14.
     */
    static final class FastHandle {
        static final boolean AVAILABLE;
        private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[8 + KernelHandle.MAX_BYTES]);
        private static final ThreadLocal<int[]> MOUNT_ID = ThreadLocal.withInitial(() -> new int[1]);

        static {
            AVAILABLE = registerDirect(FastHandle.class);
        }

        private FastHandle() {
        }

        static native int name_to_handle_at(int dirfd, byte[] path, byte[] handle, int[] mountId, int flags);

        /** name_to_handle_at relative to a directory fd (or of the fd itself with AT_EMPTY_PATH). */
        static KernelHandle nameToHandleAt(int dirfd, byte[] name, int flags) throws ErrnoException {
            return nameToHandleAt(dirfd, name, flags, false);
        }

        /**
         * {@link #nameToHandleAt(int, byte[], int)}, or null on ENOENT when {@code missingIsNull} (LOOKUP of a
         * name that is not there costs no exception).
         */
        static KernelHandle nameToHandleAt(int dirfd, byte[] name, int flags, boolean missingIsNull)
                throws ErrnoException {
            if (!AVAILABLE) {
                throw ErrnoException.of(ENOSYS, "name_to_handle_at", "glibc without name_to_handle_at");
            }
            byte[] fh = BUFFER.get();
            ByteBuffer b = ByteBuffer.wrap(fh).order(ByteOrder.nativeOrder());
            b.putInt(0, KernelHandle.MAX_BYTES);
            int[] mountId = MOUNT_ID.get();
            mountId[0] = -1;
            if (name_to_handle_at(dirfd, name, fh, mountId, flags) != 0) {
                int errno = Native.getLastError();
                if (missingIsNull && errno == ENOENT) {
                    return null;
                }
                throw ErrnoException.of(errno, "name_to_handle_at", "fd");
            }
            int len = b.getInt(0);
            if (len <= 0 || len > KernelHandle.MAX_BYTES) {
                throw ErrnoException.of(EOVERFLOW, "name_to_handle_at", "handle_bytes=" + len);
            }
            return new KernelHandle(b.getInt(4), Arrays.copyOfRange(fh, 8, 8 + len), mountId[0]);
        }

        static KernelHandle nameToHandle(Path abs, boolean followSymlinks) throws IOException {
            byte[] fh = BUFFER.get();
            ByteBuffer b = ByteBuffer.wrap(fh).order(ByteOrder.nativeOrder());
            b.putInt(0, KernelHandle.MAX_BYTES); // struct file_handle.handle_bytes: room we offer
            int[] mountId = MOUNT_ID.get();
            mountId[0] = -1;
            if (name_to_handle_at(AT_FDCWD, cPath(abs), fh, mountId, followSymlinks ? AT_SYMLINK_FOLLOW : 0) != 0) {
                throw error(Native.getLastError(), "name_to_handle_at", abs);
            }
            int len = b.getInt(0);
            if (len <= 0 || len > KernelHandle.MAX_BYTES) {
                throw new ErrnoException(abs.toString(), EOVERFLOW, "name_to_handle_at returned handle_bytes=" + len);
            }
            return new KernelHandle(b.getInt(4), Arrays.copyOfRange(fh, 8, 8 + len), mountId[0]);
        }
    }

    /**
     * {@code open_by_handle_at(mountFd, h, flags | O_CLOEXEC)}: opens the object a handle names, wherever it
     * now is (renames do not matter). Needs CAP_DAC_READ_SEARCH in the calling thread's effective set, which a
     * thread loses while its fsuid is not 0. The caller owns the returned fd ({@link #close}).
     *
     * @param mountFd any fd on the filesystem the handle came from, normally {@link #openMountFd}
     * @param flags e.g. {@link #O_PATH}, {@link #O_RDONLY}, {@link #O_RDWR}; O_CLOEXEC (and O_LARGEFILE on
     *              32-bit arm) are always added
     * @throws StaleHandleException when the object no longer exists
     */
    public static int openByHandle(int mountFd, KernelHandle h, int flags) throws IOException {
        Memory fh = new Memory(8 + h.length());
        fh.setInt(0, h.length());
        fh.setInt(4, h.type());
        fh.write(8, h.bytes(), 0, h.length());
        try {
            return (int) syscall(Arch.CURRENT.openByHandleAt, mountFd, fh,
                    flags | O_CLOEXEC | Arch.CURRENT.oLargefile);
        } catch (LastErrorException e) {
            throw error(e, "open_by_handle_at", h);
        }
    }

    /**
     * An fd on the export root for use as {@code mountFd}: {@code O_RDONLY|O_DIRECTORY|O_CLOEXEC}. (An O_PATH fd
     * is not used: older kernels' {@code open_by_handle_at} looked the mount fd up with {@code fdget()},
     * which ignores O_PATH files.) Does not follow a final symbolic link.
     */
    public static int openMountFd(Path exportRoot) throws IOException {
        return open(exportRoot, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
    }

    /** {@code open(2)} with O_CLOEXEC (and O_LARGEFILE on 32-bit arm) added; the caller owns the fd. */
    public static int open(Path path, int flags, int mode) throws IOException {
        Arch.CURRENT.require();
        Path abs = path.toAbsolutePath();
        try {
            return LIBC.open(cPath(abs), flags | O_CLOEXEC | Arch.CURRENT.oLargefile, mode);
        } catch (LastErrorException e) {
            throw error(e, "open", abs);
        }
    }

    /** {@code close(2)}. Not retried on EINTR (on Linux the fd is gone either way). */
    public static void close(int fd) throws IOException {
        Arch.CURRENT.require();
        try {
            LIBC.close(fd);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != 4 /* EINTR */) {
                throw error(e, "close", "fd " + fd);
            }
        }
    }

    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                close(fd);
            } catch (IOException ignored) {
                // nothing useful to do
            }
        }
    }

    // ---------------------------------------------------------------- mknod, statvfs

    /**
     * {@code mknodat(AT_FDCWD, path, mode, dev)}: creates a FIFO, socket, character or block device (the umask
     * applies). {@code dev} is in glibc's encoding ({@link #makedev}, {@link Stat#rdev()}). Devices need
     * CAP_MKNOD.
     */
    public static void mknod(Path path, int mode, long dev) throws IOException {
        Path abs = path.toAbsolutePath();
        int kdev = kernelDev(major(dev), minor(dev));
        try {
            syscall(Arch.CURRENT.mknodat, AT_FDCWD, cPathMemory(abs), mode, kdev);
        } catch (LastErrorException e) {
            throw error(e, "mknodat", abs);
        }
    }

    /** glibc's {@code makedev}. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** glibc's {@code major}. */
    public static long major(long dev) {
        return ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
    }

    /** glibc's {@code minor}. */
    public static long minor(long dev) {
        return ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
    }

    /** The kernel's 32-bit {@code new_encode_dev}, what mknodat takes. */
    static int kernelDev(long major, long minor) {
        if (major > 0xfff || minor > 0xfffff) {
            throw new IllegalArgumentException("device " + major + ":" + minor + " out of range");
        }
        return (int) ((minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12));
    }

    /** {@code statvfs(3)} of the filesystem holding {@code path} (follows symbolic links). */
    public static StatVfs statvfs(Path path) throws IOException {
        Arch.CURRENT.require();
        Path abs = path.toAbsolutePath();
        Memory buf = new Memory(256);
        buf.clear();
        int w = Arch.CURRENT.wordSize;
        try {
            if (w == 8) {
                LIBC.statvfs(cPath(abs), buf);
            } else {
                LIBC.statvfs64(cPath(abs), buf); // 64-bit block counts on 32-bit
            }
        } catch (LastErrorException e) {
            throw error(e, "statvfs", abs);
        }
        return parseStatvfs(buf);
    }

    /** Parses struct statvfs (64-bit) / statvfs64 (32-bit), as statvfs64/fstatvfs64 fill it. */
    static StatVfs parseStatvfs(Pointer buf) {
        int w = Arch.CURRENT.wordSize;
        // struct statvfs (64-bit) / statvfs64 (32-bit): unsigned long bsize, frsize; u64 blocks, bfree, bavail,
        // files, ffree, favail; unsigned long fsid; [int unused on 32-bit]; unsigned long flag, namemax; ...
        long bsize = word(buf, 0, w);
        long frsize = word(buf, w, w);
        int o = 2 * w; // 8 on both: the u64 fields are 8-aligned
        long blocks = buf.getLong(o);
        long bfree = buf.getLong(o + 8);
        long bavail = buf.getLong(o + 16);
        long files = buf.getLong(o + 24);
        long ffree = buf.getLong(o + 32);
        long favail = buf.getLong(o + 40);
        o += 48;
        long fsid = word(buf, o, w);
        o += 8; // 64-bit: fsid; 32-bit: fsid + int __f_unused
        long flag = word(buf, o, w);
        long namemax = word(buf, o + w, w);
        return new StatVfs(blocks, bfree, bavail, files, ffree, favail, bsize, frsize, namemax, fsid, flag);
    }

    private static long word(Pointer p, long off, int w) {
        return w == 8 ? p.getLong(off) : Integer.toUnsignedLong(p.getInt(off));
    }

    // ---------------------------------------------------------------- statx

    /** {@code statx} of path itself (a symbolic link is not followed). */
    public static Stat lstat(Path path) throws IOException {
        return statxPath(path.toAbsolutePath(), AT_SYMLINK_NOFOLLOW);
    }

    /** {@link #lstat}, but null instead of an exception when the path does not exist (an expected outcome). */
    public static Stat lstatIfExists(Path path) throws IOException {
        return statxPath(path.toAbsolutePath(), AT_SYMLINK_NOFOLLOW, true);
    }

    /** {@code statx} following symbolic links. */
    public static Stat stat(Path path) throws IOException {
        return statxPath(path.toAbsolutePath(), 0);
    }

    /** {@code statx(fd, "", AT_EMPTY_PATH)}: attributes of what an fd (including an O_PATH fd) refers to. */
    public static Stat fstat(int fd) throws IOException {
        Memory empty = new Memory(1);
        empty.setByte(0, (byte) 0);
        return statx(fd, empty, AT_EMPTY_PATH, "fd " + fd);
    }

    /**
     * glibc's statx(3), direct-mapped: the hot path of every NFS operation, an order of magnitude cheaper
     * than the generic syscall() through an interface proxy. Absent on glibc before 2.28.
     */
    static final class FastStatx {
        static final int MASK = STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID;
        static final boolean AVAILABLE;

        static {
            AVAILABLE = registerDirect(FastStatx.class);
        }

        private FastStatx() {
        }

        static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer buf);
    }

    static final ThreadLocal<Memory> STATX_BUFFER = ThreadLocal.withInitial(() -> new Memory(STATX_SIZE));

    private static Stat statxPath(Path abs, int flags) throws IOException {
        return statxPath(abs, flags, false);
    }

    /** With {@code missingIsNull}, ENOENT gives null instead of a NoSuchFileException (no exception built). */
    private static Stat statxPath(Path abs, int flags, boolean missingIsNull) throws IOException {
        if (!FastStatx.AVAILABLE) {
            try {
                return statx(AT_FDCWD, cPathMemory(abs), flags, abs);
            } catch (NoSuchFileException e) {
                if (missingIsNull) {
                    return null;
                }
                throw e;
            }
        }
        Memory b = STATX_BUFFER.get();
        b.clear();
        int rc = FastStatx.statx(AT_FDCWD, cPath(abs), flags, STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID, b);
        if (rc != 0) {
            int errno = Native.getLastError();
            if (missingIsNull && errno == ENOENT) {
                return null;
            }
            throw error(errno, "statx", abs);
        }
        return parseStatx(b);
    }

    private static Stat statx(int dirfd, Memory name, int flags, Object what) throws IOException {
        Memory b = new Memory(STATX_SIZE);
        b.clear();
        try {
            syscall(Arch.CURRENT.statx, dirfd, name, flags, STATX_BASIC_STATS | STATX_BTIME | STATX_MNT_ID, b);
        } catch (LastErrorException e) {
            throw error(e, "statx", what);
        }
        return parseStatx(b);
    }

    static Stat parseStatx(Pointer b) {
        // struct statx is the same on every architecture (include/uapi/linux/stat.h).
        int mask = b.getInt(0);
        int blksize = b.getInt(4);
        int nlink = b.getInt(16);
        int uid = b.getInt(20);
        int gid = b.getInt(24);
        int mode = b.getShort(28) & 0xffff;
        long ino = b.getLong(32);
        long size = b.getLong(40);
        long blocks = b.getLong(48);
        // statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 reserved; }: atime 64, btime 80, ctime 96, mtime 112
        long atimeSec = b.getLong(64);
        int atimeNsec = b.getInt(72);
        long btimeSec = b.getLong(80);
        int btimeNsec = b.getInt(88);
        long ctimeSec = b.getLong(96);
        int ctimeNsec = b.getInt(104);
        long mtimeSec = b.getLong(112);
        int mtimeNsec = b.getInt(120);
        long rdev = makedev(Integer.toUnsignedLong(b.getInt(128)), Integer.toUnsignedLong(b.getInt(132)));
        long dev = makedev(Integer.toUnsignedLong(b.getInt(136)), Integer.toUnsignedLong(b.getInt(140)));
        long mntId = (mask & STATX_MNT_ID) != 0 ? b.getLong(144) : -1;
        boolean hasBtime = (mask & STATX_BTIME) != 0;
        return new Stat(dev, ino, mode, nlink, uid, gid, rdev, size, blocks, blksize,
                atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec,
                hasBtime, hasBtime ? btimeSec : 0, hasBtime ? btimeNsec : 0, mntId);
    }

    // ---------------------------------------------------------------- process identity

    /** The process's effective uid (geteuid). */
    public static int geteuid() {
        Arch.CURRENT.require();
        return LIBC.geteuid();
    }

    /**
     * If the process ignores signal {@code sig} (SIG_IGN inherited, e.g. under nohup), sets it back to SIG_DFL
     * and returns true; otherwise changes nothing. HotSpot silently declines to install a sun.misc.Signal
     * handler for an ignored SIGHUP, so a daemon started under nohup would never reload on SIGHUP. Only
     * reads the current disposition (sigaction with no new action) unless it is SIG_IGN, so the JVM's own
     * handlers are never touched.
     */
    public static boolean unignoreSignal(int sig) {
        Arch.CURRENT.require();
        try (Memory old = new Memory(256)) { // larger than struct sigaction anywhere
            old.clear();
            LIBC.sigaction(sig, Pointer.NULL, old);
            if (Pointer.nativeValue(old.getPointer(0)) != 1) { // sa_handler comes first; SIG_IGN is 1
                return false;
            }
            LIBC.signal(sig, Pointer.NULL); // SIG_DFL is 0
            return true;
        }
    }

    /** The process's effective gid (getegid). */
    public static int getegid() {
        Arch.CURRENT.require();
        return LIBC.getegid();
    }
}
