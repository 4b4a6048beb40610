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

    private LocalFs fs() {
        return new LocalFs(ExportTable.empty(), new InMemoryHandleStore());
    }

    @Test
    void concurrentSyncsOfOneDirectoryAllReturnAndLeaveNoBookkeepingBehind() throws Exception {
        LocalFs fs = fs();
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
                        fs.syncDirectory(dir);
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
    void syncOfAMissingDirectoryIsAnNfsErrorAndIsForgotten() {
        LocalFs fs = fs();
        assertThatThrownBy(() -> fs.syncDirectory(dir.resolve("gone")))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.NOENT));
        assertThat(fs.directorySyncsInProgress()).isZero();
    }
}
