package io.edgenfsd.vfs;

import io.edgenfsd.vfs.linux.At;

/** Process-wide POSIX settings and the time values SETATTR passes through. */
public final class Posix {
    private Posix() {
    }

    /** utimensat's "now" and "leave alone" (include/uapi/linux/stat.h). */
    public static final long UTIME_NOW = At.UTIME_NOW;
    public static final long UTIME_OMIT = At.UTIME_OMIT;

    /**
     * The daemon's umask: 077, so the server's own files (state directory, handle key, client records) are
     * private even where their code forgets a mode. Files made for clients do not see it: the threads that
     * create them have their own umask 0 ({@link At#threadUmaskZero}), so they get exactly the client's mode.
     */
    public static void daemonUmask() {
        At.umask(077);
    }
}
