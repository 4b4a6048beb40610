package io.edgenfsd.server;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * sd_notify(3): sends READY=1 to $NOTIFY_SOCKET (an AF_UNIX datagram socket, which java.nio cannot
 * address before Java 22), so a Type=notify unit becomes active only once the port is bound.
 */
final class SystemdNotify {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private SystemdNotify() {
    }

    private static native int socket(int domain, int type, int protocol);

    // size_t and ssize_t are 32 bits on armhf: as Java longs they shifted every later argument there and
    // systemd never got READY=1 (issue 17); NativeLong is the C long, the same width as size_t on Linux.
    private static native NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, Memory addr, int addrlen);

    private static native int close(int fd);

    static void ready() {
        notify("READY=1\nSTATUS=serving NFSv4.1\n");
    }

    /** Until the next READY=1, systemd shows the unit as reloading. */
    static void reloading() {
        notify("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\n");
    }

    static void stopping() {
        notify("STOPPING=1\n");
    }

    private static void notify(String message) {
        String path = System.getenv("NOTIFY_SOCKET");
        if (path == null || path.isEmpty()) {
            return;
        }
        send(path, message);
    }

    /** Sends one datagram to the socket at path ('@' first: abstract); false when it could not. */
    static boolean send(String path, String message) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length > 107) {
            return false;
        }
        if (name[0] == '@') {
            name[0] = 0; // abstract namespace
        }
        Memory addr = new Memory(2 + 108);
        addr.clear();
        addr.setShort(0, (short) AF_UNIX);
        addr.write(2, name, 0, name.length);
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return false;
        }
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        int addrLen = 2 + name.length + (name[0] == 0 ? 0 : 1);
        long rc = sendto(fd, msg, new NativeLong(msg.length), 0, addr, addrLen).longValue();
        close(fd);
        if (rc < 0) {
            LoggerFactory.getLogger(SystemdNotify.class).warn("could not notify systemd at {}", path);
            return false;
        }
        return rc == msg.length;
    }
}
