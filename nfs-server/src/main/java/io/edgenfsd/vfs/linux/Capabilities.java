package io.edgenfsd.vfs.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The calling thread's Linux capabilities, through {@code capget(2)}/{@code capset(2)} with pid 0. Linux
 * keeps capability sets per thread and glibc's capget/capset wrappers are plain system calls (unlike its
 * set*id wrappers, no broadcast to the other threads), so a change here binds only the calling thread.
 *
 * <p>Used to drop CAP_SYS_RESOURCE from the NFS worker threads: with it, the kernel lets any write exceed
 * quota limits (and ext4's reserved blocks), so a root client of a no_root_squash export would write past
 * a volume's capacity. The JVM's other threads (main, admin, lease timer) keep what they had.
 */
public final class Capabilities {
    /** capability(7) numbers. */
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_SYS_RESOURCE = 24;

    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int HEADER_SIZE = 8;       // u32 version, int pid
    private static final int DATA_SIZE = 2 * 12;    // two of { u32 effective, permitted, inheritable }

    private interface Caps extends Library {
        int capget(Pointer header, Pointer data) throws LastErrorException;

        int capset(Pointer header, Pointer data) throws LastErrorException;
    }

    private static final Caps C = Arch.CURRENT.supported() ? Native.load("c", Caps.class) : null;

    private Capabilities() {
    }

    /** Whether capability {@code cap} is in the calling thread's effective set. */
    public static boolean effective(int cap) throws IOException {
        try (Memory h = header(); Memory d = new Memory(DATA_SIZE)) {
            capget(h, d);
            return (bits(d, 0) & (1L << cap)) != 0;
        }
    }

    /**
     * Removes {@code cap} from the calling thread's effective, permitted and inheritable sets, for good
     * (a capability no longer permitted cannot be raised again, not even by setfsuid(0)). A no-op when the
     * thread does not have it.
     */
    public static void dropFromThread(int cap) throws IOException {
        try (Memory h = header(); Memory d = new Memory(DATA_SIZE)) {
            capget(h, d);
            int word = cap / 32;
            int mask = ~(1 << (cap % 32));
            boolean had = false;
            for (int set = 0; set < 3; set++) {
                long off = word * 12L + set * 4L;
                int v = d.getInt(off);
                had |= (v & ~mask) != 0;
                d.setInt(off, v & mask);
            }
            if (!had) {
                return;
            }
            try {
                C.capset(h, d);
            } catch (LastErrorException e) {
                throw LinuxCalls.error(e, "capset (drop capability " + cap + ")", null);
            }
        }
    }

    /** The calling thread's effective set as the kernel shows it (/proc/thread-self/status, CapEff). */
    public static long effectiveFromProc() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        throw new IOException("no CapEff line in /proc/thread-self/status");
    }

    private static Memory header() {
        Arch.CURRENT.require();
        Memory h = new Memory(HEADER_SIZE);
        h.setInt(0, LINUX_CAPABILITY_VERSION_3);
        h.setInt(4, 0); // pid 0: the calling thread
        return h;
    }

    private static void capget(Memory h, Memory d) throws IOException {
        d.clear();
        try {
            C.capget(h, d);
        } catch (LastErrorException e) {
            throw LinuxCalls.error(e, "capget", null);
        }
    }

    /** Set {@code set} (0 effective, 1 permitted, 2 inheritable) as 64 bits from the two data words. */
    private static long bits(Memory d, int set) {
        return (d.getInt(set * 4L) & 0xffffffffL) | ((long) d.getInt(12 + set * 4L) << 32);
    }
}
