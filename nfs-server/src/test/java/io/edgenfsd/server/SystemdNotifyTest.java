package io.edgenfsd.server;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sd_notify as systemd receives it: one datagram on an AF_UNIX socket, the whole message. A Type=notify
 * unit whose READY=1 never arrives is never started (the armhf bug of issue 17).
 */
class SystemdNotifyTest {
    private interface C extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Memory addr, int len);

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags);

        int close(int fd);
    }

    private static final C LIBC = Native.load("c", C.class);
    private static final int MSG_DONTWAIT = 0x40;

    @Test
    void readyArrivesAsOneWholeDatagramOnAnAbstractSocket() {
        String name = "@edge-nfsd-notify-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        n[0] = 0;
        Memory addr = new Memory(110);
        addr.clear();
        addr.setShort(0, (short) 1); // AF_UNIX
        addr.write(2, n, 0, n.length);
        int fd = LIBC.socket(1, 2, 0); // AF_UNIX, SOCK_DGRAM
        assertThat(fd).isNotNegative();
        try {
            assertThat(LIBC.bind(fd, addr, 2 + n.length)).isZero();
            String message = "READY=1\nSTATUS=serving NFSv4.1\n";
            assertThat(SystemdNotify.send(name, message)).isTrue();
            byte[] got = new byte[256];
            long len = LIBC.recv(fd, got, new NativeLong(got.length), MSG_DONTWAIT).longValue();
            assertThat(new String(got, 0, (int) Math.max(len, 0), StandardCharsets.UTF_8)).isEqualTo(message);
        } finally {
            LIBC.close(fd);
        }
    }

    @Test
    void aSocketNobodyListensOnIsReportedNotThrown() {
        assertThat(SystemdNotify.send("@edge-nfsd-nobody-" + System.nanoTime(), "READY=1\n")).isFalse();
    }
}
