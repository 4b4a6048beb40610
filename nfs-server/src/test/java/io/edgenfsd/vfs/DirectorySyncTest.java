package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.export.ExportTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectorySyncTest {
    @TempDir
    Path dir;

    private LocalFs fs() throws Exception {
        return new LocalFs(ExportTable.fromLines(java.util.List.of(dir + " *(rw,sync)"), "test"),
                new InMemoryHandleStore(), ThreadIdentity.NONE);
    }

    private static Inode root(LocalFs fs) throws NfsException {
        return fs.exportRoot(fs.exports().exports().get(0));
    }

    @Test
    void concurrentSyncsOfOneDirectoryAllReturnAndLeaveNoBookkeepingBehind() throws Exception {
        LocalFs fs = fs();
        Inode root = root(fs);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int tt = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        Files.createFile(dir.resolve("f-" + tt + "-" + i));
                        fs.syncDirectory(root);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fs.directorySyncsInProgress()).isZero();
        try (var s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(400);
        }
    }

    @Test
    void syncOfADirectoryRemovedAfterItWasLookedUpReturnsAndIsForgotten() throws Exception {
        LocalFs fs = fs();
        Files.createDirectory(dir.resolve("gone"));
        Inode gone = fs.lookup(root(fs), "gone", java.net.InetAddress.getLoopbackAddress());
        Files.delete(dir.resolve("gone"));
        fs.syncDirectory(gone); // the directory's fd still names it: nothing to report
        assertThat(fs.directorySyncsInProgress()).isZero();
        assertThatThrownBy(() -> fs.lookup(root(fs), "gone", java.net.InetAddress.getLoopbackAddress()))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.NOENT));
    }
}
