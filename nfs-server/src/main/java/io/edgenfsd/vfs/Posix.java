package io.edgenfsd.vfs;

import com.sun.jna.Native;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The few POSIX calls java.nio cannot make exactly as NFS needs them: symlinks whose text must be kept
 * byte for byte, size changes that may extend a file, device nodes, and the process umask.
 */
public final class Posix {
    private static final boolean LOADED;

    static {
        boolean ok;
        try {
            Native.register(Platform.C_LIBRARY_NAME);
            ok = true;
        } catch (Throwable t) {
            ok = false;
        }
        LOADED = ok;
    }

    private Posix() {
    }

    private static native int umask(int mask);

    private static native int symlink(String target, String linkpath);

    private static native int readlink(String path, byte[] buf, long size);

    private static native int truncate64(String path, long length);


    private static native int chmod(String path, int mode);

    private static native int utimensat(int dirfd, String path, Pointer times, int flags);

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** utimensat's "now" and "leave alone" (include/uapi/linux/stat.h). */
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    public static boolean available() {
        return LOADED;
    }

    /** Clients send the exact mode they want (their umask already applied), so ours must be zero. */
    public static void clearUmask() {
        if (LOADED) {
            umask(0);
        }
    }

    public static void symlink(Path link, String target) throws IOException {
        check(symlink(target, link.toString()), link);
    }

    public static String readlink(Path link) throws IOException {
        byte[] buf = new byte[4097];
        int n = readlink(link.toString(), buf, buf.length);
        check(n, link);
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    public static void truncate(Path file, long length) throws IOException {
        check(truncate64(file.toString(), length), file);
    }

    /** chmod(2) by path: unlike java.nio it does not open the file, so it works on unreadable files. */
    public static void chmod(Path path, int mode) throws IOException {
        check(chmod(path.toString(), mode), path);
    }

    /**
     * utimensat(2) on the object itself; each time is nanoseconds since the epoch, or {@link #UTIME_NOW} /
     * {@link #UTIME_OMIT}. UTIME_NOW is allowed to anyone with write permission, as POSIX says.
     */
    public static void setTimes(Path path, long atime, long mtime, boolean followLinks) throws IOException {
        int w = NativeLong.SIZE;
        Memory t = new Memory(4L * w);
        long[] v = new long[4];
        split(atime, v, 0);
        split(mtime, v, 2);
        for (int i = 0; i < 4; i++) {
            if (w == 8) {
                t.setLong((long) i * w, v[i]);
            } else {
                t.setInt((long) i * w, (int) v[i]);
            }
        }
        check(utimensat(AT_FDCWD, path.toString(), t, followLinks ? 0 : AT_SYMLINK_NOFOLLOW), path);
    }

    private static void split(long ns, long[] t, int i) {
        if (ns == UTIME_NOW || ns == UTIME_OMIT) {
            t[i] = 0;
            t[i + 1] = ns;
        } else {
            t[i] = Math.floorDiv(ns, 1_000_000_000L);
            t[i + 1] = Math.floorMod(ns, 1_000_000_000L);
        }
    }

    private static void check(int rc, Path path) throws IOException {
        if (rc < 0) {
            int errno = Native.getLastError();
            throw Errno.toException(errno, path);
        }
    }
}
