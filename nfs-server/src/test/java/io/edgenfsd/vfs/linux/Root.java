package io.edgenfsd.vfs.linux;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests that need root fail (never skip) when not run as root; CI runs them as root. */
final class Root {
    private Root() {
    }

    static void require() {
        assertThat(LinuxCalls.geteuid())
                .as("this test needs root (CAP_DAC_READ_SEARCH, CAP_SETUID, CAP_SETGID, CAP_MKNOD); run the build as root")
                .isZero();
    }
}
