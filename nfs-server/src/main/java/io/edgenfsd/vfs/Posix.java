package io.edgenfsd.vfs;

import com.sun.jna.Native;
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

    private static native int mknod(String path, int mode, long dev);

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

    public static void mknod(Path path, int mode, long dev) throws IOException {
        check(mknod(path.toString(), mode, dev), path);
    }

    private static void check(int rc, Path path) throws IOException {
        if (rc < 0) {
            int errno = Native.getLastError();
            throw Errno.toException(errno, path);
        }
    }
}
