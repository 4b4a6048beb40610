package io.edgenfsd.vfs.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Per-thread filesystem credentials, as NFS-Ganesha applies them: raw {@code setgroups}, {@code setfsgid} and
 * {@code setfsuid} system calls change only the calling thread's credentials. (glibc's {@code setgroups} and
 * {@code set*id} wrappers would broadcast the change to every thread of the process via the setxid signal.)
 * The kernel then checks permissions against these ids and new files get them as owner and group.
 *
 * <p>While a thread's fsuid is not 0 the kernel drops CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER,
 * CAP_CHOWN, CAP_FSETID, CAP_MKNOD (and a few more) from its effective set; {@link #reset()} brings them back.
 * So: resolve file handles first ({@code open_by_handle_at} needs CAP_DAC_READ_SEARCH), then
 * {@link #become}, do the operation, {@link #reset()} in a {@code finally}.
 *
 * <p>Must run on a platform thread (a virtual thread may move between carrier threads; calls from one are
 * refused). Anything the JVM does lazily on such a thread (class loading from a jar not yet opened, log files)
 * also runs with the client's credentials.
 */
public final class ThreadCredentials {

    private ThreadCredentials() {
    }

    /** NGROUPS_MAX on Linux. */
    public static final int MAX_GROUPS = 65536;

    private static final boolean ROOT;
    private static final int ORIGINAL_UID;
    private static final int ORIGINAL_GID;
    private static final boolean SUPPORTED;

    static {
        boolean supported = false;
        int uid = -1;
        int gid = -1;
        if (Arch.CURRENT.supported()) {
            uid = LinuxCalls.geteuid();
            gid = LinuxCalls.getegid();
            supported = hasCapabilities(6 /* CAP_SETGID */, 7 /* CAP_SETUID */);
        }
        ORIGINAL_UID = uid;
        ORIGINAL_GID = gid;
        ROOT = uid == 0;
        SUPPORTED = supported;
    }

    /**
     * True when this process may switch thread credentials: it runs on a supported architecture and holds
     * CAP_SETUID and CAP_SETGID (i.e. normally: runs as root).
     */
    public static boolean supported() {
        return SUPPORTED;
    }

    /**
     * Makes the calling thread act with fsuid {@code uid}, fsgid {@code gid} and supplementary groups
     * {@code groups} (in that order: setgroups, setfsgid, setfsuid). On any failure the thread is
     * {@link #reset()} and an {@link IllegalStateException} is thrown, so it never runs half-switched.
     *
     * @param uid   user id, any 32-bit value except -1 (0xffffffff, which the kernel treats as "no change")
     * @param gid   group id, same rule
     * @param groups supplementary groups (may be empty; at most {@link #MAX_GROUPS})
     * @throws UnsupportedOperationException when {@link #supported()} is false
     */
    public static void become(int uid, int gid, int[] groups) {
        requireUsable();
        if (uid == -1 || gid == -1) {
            throw new IllegalArgumentException("uid/gid -1 is not a valid id");
        }
        int[] g = groups == null ? new int[0] : groups;
        if (g.length > MAX_GROUPS) {
            throw new IllegalArgumentException("too many supplementary groups: " + g.length);
        }
        try {
            setgroups(g);
            setfsgid(gid);
            setfsuid(uid);
        } catch (RuntimeException e) {
            try {
                reset();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e instanceof IllegalStateException ? e
                    : new IllegalStateException("cannot switch thread credentials to " + uid + ":" + gid, e);
        }
    }

    /**
     * Restores the calling thread's filesystem credentials: fsuid 0, fsgid 0, no supplementary groups when
     * the process runs as root; otherwise the process's own effective uid and gid (supplementary groups are
     * left alone: they were never changed). fsuid is restored first so the capabilities come back.
     *
     * @throws IllegalStateException if the kernel refuses (the thread must then not serve requests)
     */
    public static void reset() {
        requireUsable();
        setfsuid(ROOT ? 0 : ORIGINAL_UID);
        setfsgid(ROOT ? 0 : ORIGINAL_GID);
        if (ROOT) {
            setgroups(new int[0]);
        }
    }

    /** {@link #become} now and {@link #reset()} when the returned scope is closed (try-with-resources). */
    public static Scope as(int uid, int gid, int[] groups) {
        become(uid, gid, groups);
        return new Scope();
    }

    /** Closing resets the thread's credentials. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                reset();
            }
        }
    }

    /** The calling thread's current fsuid (setfsuid(-1) changes nothing and returns it). */
    public static int currentFsuid() {
        Arch.CURRENT.require();
        return (int) LinuxCalls.syscall(Arch.CURRENT.setfsuid, -1);
    }

    /** The calling thread's current fsgid. */
    public static int currentFsgid() {
        Arch.CURRENT.require();
        return (int) LinuxCalls.syscall(Arch.CURRENT.setfsgid, -1);
    }

    /** The calling thread's supplementary groups (raw getgroups). */
    public static int[] currentGroups() {
        Arch.CURRENT.require();
        try {
            int n = (int) LinuxCalls.syscall(Arch.CURRENT.getgroups, 0, Pointer.NULL);
            if (n == 0) {
                return new int[0];
            }
            Memory m = new Memory(4L * n);
            int got = (int) LinuxCalls.syscall(Arch.CURRENT.getgroups, n, m);
            return m.getIntArray(0, got);
        } catch (LastErrorException e) {
            throw new IllegalStateException("getgroups: " + LinuxCalls.strerror(e.getErrorCode()), e);
        }
    }

    // ---------------------------------------------------------------- raw calls, each checked

    private static void setgroups(int[] groups) {
        try {
            if (groups.length == 0) {
                LinuxCalls.syscall(Arch.CURRENT.setgroups, 0, Pointer.NULL);
            } else {
                Memory m = new Memory(4L * groups.length);
                m.write(0, groups, 0, groups.length);
                LinuxCalls.syscall(Arch.CURRENT.setgroups, groups.length, m);
            }
        } catch (LastErrorException e) {
            throw new IllegalStateException("setgroups(" + Arrays.toString(groups) + "): "
                    + LinuxCalls.strerror(e.getErrorCode()) + " (errno " + e.getErrorCode() + ")", e);
        }
    }

    /** setfsuid never reports an error; it returns the previous fsuid. Verify with setfsuid(-1). */
    private static void setfsuid(int uid) {
        LinuxCalls.syscall(Arch.CURRENT.setfsuid, uid);
        int now = currentFsuid();
        if (now != uid) {
            throw new IllegalStateException("setfsuid(" + Integer.toUnsignedString(uid) + ") refused by the kernel;"
                    + " thread fsuid is " + Integer.toUnsignedString(now));
        }
    }

    private static void setfsgid(int gid) {
        LinuxCalls.syscall(Arch.CURRENT.setfsgid, gid);
        int now = currentFsgid();
        if (now != gid) {
            throw new IllegalStateException("setfsgid(" + Integer.toUnsignedString(gid) + ") refused by the kernel;"
                    + " thread fsgid is " + Integer.toUnsignedString(now));
        }
    }

    private static void requireUsable() {
        if (!SUPPORTED) {
            throw new UnsupportedOperationException("per-thread credentials need CAP_SETUID and CAP_SETGID"
                    + " (run as root) on linux x86-64/aarch64/arm; os.arch=" + System.getProperty("os.arch"));
        }
        if (isVirtualThread(Thread.currentThread())) {
            throw new IllegalStateException("thread credentials cannot be used on a virtual thread");
        }
    }

    private static final Method IS_VIRTUAL = isVirtualMethod();

    private static Method isVirtualMethod() {
        try {
            return Thread.class.getMethod("isVirtual"); // Java 21+
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean isVirtualThread(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (Boolean) IS_VIRTUAL.invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Whether all given capability bits are in this thread's effective set (/proc/thread-self/status CapEff). */
    static boolean hasCapabilities(int... caps) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long eff = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    for (int c : caps) {
                        if ((eff & (1L << c)) == 0) {
                            return false;
                        }
                    }
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return false;
    }
}
