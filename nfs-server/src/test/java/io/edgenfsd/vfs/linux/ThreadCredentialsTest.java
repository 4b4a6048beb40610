package io.edgenfsd.vfs.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadCredentialsTest {

    @TempDir
    Path tmp;

    Path closed;   // 0755 root:root
    Path open;     // 0777 root:root
    Path setgid;   // 02777 root:2000
    Path grp;      // 0770 root:3000

    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @BeforeEach
    void dirs() throws IOException {
        Root.require();
        assertThat(ThreadCredentials.supported()).isTrue();
        chmod(tmp, "rwxr-xr-x"); // @TempDir is 0700: uid 1000 could not even reach the test dirs
        closed = Files.createDirectory(tmp.resolve("closed"));
        chmod(closed, "rwxr-xr-x");
        open = Files.createDirectory(tmp.resolve("open"));
        chmod(open, "rwxrwxrwx");
        setgid = Files.createDirectory(tmp.resolve("setgid"));
        Files.setAttribute(setgid, "unix:gid", 2000);
        Files.setAttribute(setgid, "unix:mode", 02777);
        grp = Files.createDirectory(tmp.resolve("grp"));
        Files.setAttribute(grp, "unix:gid", 3000);
        chmod(grp, "rwxrwx---");
    }

    @AfterEach
    void stop() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static void chmod(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private static Object attr(Path p, String name) throws IOException {
        return Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    private <T> T onWorker(java.util.concurrent.Callable<T> c) throws Exception {
        return worker.submit(c).get(30, TimeUnit.SECONDS);
    }

    /** fsuid/fsgid and groups as the kernel reports them for the calling thread. */
    private static List<String> procStatus() throws IOException {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Uid:") || l.startsWith("Gid:") || l.startsWith("Groups:")).toList();
    }

    @Test
    void asUid1000CreatingInA0755RootDirIsDeniedAndInA0777DirGivesAFileOwnedBy1000() throws Exception {
        onWorker(() -> {
            ThreadCredentials.become(1000, 1000, new int[0]);
            try {
                assertThat(ThreadCredentials.currentFsuid()).isEqualTo(1000);
                assertThat(ThreadCredentials.currentFsgid()).isEqualTo(1000);
                assertThat(procStatus().get(0)).endsWith("\t1000"); // Uid: real eff saved fs
                assertThatThrownBy(() -> Files.createFile(closed.resolve("x")))
                        .isInstanceOf(AccessDeniedException.class);
                Files.createFile(open.resolve("mine"));
            } finally {
                ThreadCredentials.reset();
            }
            return null;
        });
        assertThat(Files.exists(closed.resolve("x"))).isFalse();
        assertThat(attr(open.resolve("mine"), "uid")).isEqualTo(1000);
        assertThat(attr(open.resolve("mine"), "gid")).isEqualTo(1000);
    }

    @Test
    void otherThreadsKeepRootWhileOneThreadIsUid1000() throws Exception {
        CountDownLatch switched = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(1);
        Future<?> f = worker.submit(() -> {
            ThreadCredentials.become(1000, 1000, new int[] {1000});
            try {
                switched.countDown();
                othersDone.await(30, TimeUnit.SECONDS);
                assertThat(ThreadCredentials.currentFsuid()).isEqualTo(1000);
            } finally {
                ThreadCredentials.reset();
            }
            return null;
        });
        assertThat(switched.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            // this (test) thread and a fresh thread are still root while the worker is 1000
            assertThat(ThreadCredentials.currentFsuid()).isZero();
            Files.createFile(closed.resolve("byRoot"));
            assertThat(attr(closed.resolve("byRoot"), "uid")).isEqualTo(0);
            Thread t = new Thread(() -> {
                try {
                    Files.createFile(closed.resolve("byOtherThread"));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            t.join();
            assertThat(attr(closed.resolve("byOtherThread"), "uid")).isEqualTo(0);
            assertThat(procStatus().get(0)).isEqualTo("Uid:\t0\t0\t0\t0");
        } finally {
            othersDone.countDown();
        }
        f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void afterResetTheThreadIsRootAgainWithNoGroups() throws Exception {
        onWorker(() -> {
            ThreadCredentials.become(1000, 1000, new int[] {5, 6, 7});
            assertThat(ThreadCredentials.currentGroups()).containsExactly(5, 6, 7);
            ThreadCredentials.reset();
            assertThat(ThreadCredentials.currentFsuid()).isZero();
            assertThat(ThreadCredentials.currentFsgid()).isZero();
            assertThat(ThreadCredentials.currentGroups()).isEmpty();
            assertThat(procStatus()).contains("Uid:\t0\t0\t0\t0", "Gid:\t0\t0\t0\t0");
            Files.createFile(closed.resolve("afterReset")); // capabilities are back too
            return null;
        });
        assertThat(attr(closed.resolve("afterReset"), "uid")).isEqualTo(0);
        assertThat(attr(closed.resolve("afterReset"), "gid")).isEqualTo(0);
    }

    @Test
    void scopeResetsOnClose() throws Exception {
        onWorker(() -> {
            try (ThreadCredentials.Scope s = ThreadCredentials.as(1234, 5678, null)) {
                assertThat(ThreadCredentials.currentFsuid()).isEqualTo(1234);
            }
            assertThat(ThreadCredentials.currentFsuid()).isZero();
            return null;
        });
    }

    @Test
    void aFileCreatedInASetgidDirectoryInheritsTheDirectoryGroupAndSubdirsTheSetgidBit() throws Exception {
        onWorker(() -> {
            try (var s = ThreadCredentials.as(1000, 1000, new int[0])) {
                Files.createFile(setgid.resolve("f"));
                Files.createDirectory(setgid.resolve("sub"));
            }
            return null;
        });
        assertThat(attr(setgid.resolve("f"), "uid")).isEqualTo(1000);
        assertThat(attr(setgid.resolve("f"), "gid")).isEqualTo(2000);
        assertThat(attr(setgid.resolve("sub"), "gid")).isEqualTo(2000);
        assertThat((Integer) attr(setgid.resolve("sub"), "mode") & 02000).isEqualTo(02000);
    }

    @Test
    void supplementaryGroupsGrantGroupAccessAndOnlyThen() throws Exception {
        onWorker(() -> {
            try (var s = ThreadCredentials.as(1000, 1000, new int[] {4000})) {
                assertThatThrownBy(() -> Files.createFile(grp.resolve("denied")))
                        .isInstanceOf(AccessDeniedException.class);
            }
            try (var s = ThreadCredentials.as(1000, 1000, new int[] {4000, 3000})) {
                Files.createFile(grp.resolve("allowed"));
            }
            try (var s = ThreadCredentials.as(1000, 3000, new int[0])) { // primary group counts as well
                Files.createFile(grp.resolve("viaPrimary"));
            }
            return null;
        });
        assertThat(Files.exists(grp.resolve("denied"))).isFalse();
        assertThat(attr(grp.resolve("allowed"), "uid")).isEqualTo(1000);
        assertThat(attr(grp.resolve("allowed"), "gid")).isEqualTo(1000); // fsgid, not the supplementary group
        assertThat(attr(grp.resolve("viaPrimary"), "gid")).isEqualTo(3000);
    }

    @Test
    void aNonRootThreadCannotOpenByHandleUntilReset() throws Exception {
        Path f = Files.writeString(open.resolve("h"), "x");
        KernelHandle h = LinuxCalls.nameToHandle(f, false);
        int mountFd = LinuxCalls.openMountFd(tmp);
        try {
            onWorker(() -> {
                try (var s = ThreadCredentials.as(1000, 1000, new int[0])) {
                    assertThatThrownBy(() -> LinuxCalls.openByHandle(mountFd, h, LinuxCalls.O_PATH))
                            .isInstanceOf(AccessDeniedException.class);
                }
                int fd = LinuxCalls.openByHandle(mountFd, h, LinuxCalls.O_PATH);
                LinuxCalls.close(fd);
                return null;
            });
        } finally {
            LinuxCalls.close(mountFd);
        }
    }

    @Test
    void invalidIdsAreRejectedAndLeaveTheThreadUnchanged() throws Exception {
        onWorker(() -> {
            assertThatThrownBy(() -> ThreadCredentials.become(-1, 0, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ThreadCredentials.become(0, -1, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ThreadCredentials.become(1, 1, new int[ThreadCredentials.MAX_GROUPS + 1]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(ThreadCredentials.currentFsuid()).isZero();
            return null;
        });
    }

    @Test
    void uidsAboveTwoToThe31AreUsableAsUnsignedValues() throws Exception {
        int big = (int) 3_000_000_000L;
        onWorker(() -> {
            try (var s = ThreadCredentials.as(big, big, new int[] {big})) {
                Files.createFile(open.resolve("big"));
            }
            return null;
        });
        assertThat(LinuxCalls.lstat(open.resolve("big")).uidUnsigned()).isEqualTo(3_000_000_000L);
    }
}
