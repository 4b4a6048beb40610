package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.ErrnoException;
import org.junit.jupiter.api.Test;

import java.nio.file.FileSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrnoTest {
    @Test
    void everyErrnoOfTheIssueMapsToItsNfsStatus() {
        assertThat(Errno.fromErrno(28)).isEqualTo(NfsStatus.NOSPC);
        assertThat(Errno.fromErrno(122)).isEqualTo(NfsStatus.DQUOT);
        assertThat(Errno.fromErrno(30)).isEqualTo(NfsStatus.ROFS);
        assertThat(Errno.fromErrno(36)).isEqualTo(NfsStatus.NAMETOOLONG);
        assertThat(Errno.fromErrno(31)).isEqualTo(NfsStatus.MLINK);
        assertThat(Errno.fromErrno(5)).isEqualTo(NfsStatus.IO);
        assertThat(Errno.fromErrno(40)).isEqualTo(NfsStatus.SYMLINK);
        assertThat(Errno.fromErrno(18)).isEqualTo(NfsStatus.XDEV);
    }

    @Test
    void serverResourceProblemsAreDelayNeverStale() {
        for (int e : new int[] {23 /* ENFILE */, 24 /* EMFILE */, 12 /* ENOMEM */}) {
            assertThat(Errno.fromErrno(e)).as("errno %d", e).isEqualTo(NfsStatus.DELAY);
        }
    }

    @Test
    void unmappedErrnosAreIoNotAnRpcError() {
        for (int e : new int[] {0, 7, 33, 61, 75, 4095, -1}) {
            assertThat(Errno.fromErrno(e)).isEqualTo(NfsStatus.IO);
        }
    }

    @Test
    void theErrnoNumberDecidesNeverTheMessageText() {
        assertThat(Errno.status(ErrnoException.of(28, "write", "f"))).isEqualTo(NfsStatus.NOSPC);
        assertThat(Errno.status(new ErrnoException("f", 122, "No space left on device (28)")))
                .isEqualTo(NfsStatus.DQUOT);
        // a JDK exception without an errno is IO, whatever its text says (the old code parsed "28)" and threw)
        assertThat(Errno.status(new FileSystemException("f", null, "No space left on device (errno 28)")))
                .isEqualTo(NfsStatus.IO);
    }
}
