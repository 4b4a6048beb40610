package io.edgenfsd.vfs.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxCallsTest {

    @TempDir
    Path dir;

    @Test
    void archIsDetectedForTheThreeTargetsAndThisMachine() {
        assertThat(Arch.detect("Linux", "amd64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.detect("Linux", "aarch64")).isEqualTo(Arch.AARCH64);
        assertThat(Arch.detect("Linux", "arm")).isEqualTo(Arch.ARM);
        assertThat(Arch.detect("Linux", "i386")).isEqualTo(Arch.UNSUPPORTED);
        assertThat(Arch.detect("Mac OS X", "aarch64")).isEqualTo(Arch.UNSUPPORTED);
        assertThat(Arch.CURRENT.supported()).as("this build machine's arch " + System.getProperty("os.arch")).isTrue();
        // statx and name_to_handle_at numbers as in the kernel tables
        assertThat(Arch.X86_64.statx).isEqualTo(332);
        assertThat(Arch.AARCH64.statx).isEqualTo(291);
        assertThat(Arch.ARM.statx).isEqualTo(397);
    }

    @Test
    void handlesSupportedIsTrueForRootOnThisFilesystem() throws IOException {
        Root.require();
        assertThat(LinuxCalls.handlesSupported()).isTrue();
        assertThat(LinuxCalls.handlesSupported(dir)).isTrue();
    }

    @Test
    void handleIsStableAcrossRename() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "hello");
        KernelHandle before = LinuxCalls.nameToHandle(a, false);
        Files.createDirectory(dir.resolve("sub"));
        Path b = Files.move(a, dir.resolve("sub/b"));
        KernelHandle after = LinuxCalls.nameToHandle(b, false);
        assertThat(after.sameObjectAs(before)).isTrue();
        assertThat(after.bytes()).isEqualTo(before.bytes());
        assertThat(before.mountId()).isEqualTo(LinuxCalls.lstat(dir).mountId());
    }

    @Test
    void handlesOfDifferentFilesDiffer() throws IOException {
        KernelHandle a = LinuxCalls.nameToHandle(Files.createFile(dir.resolve("a")), false);
        KernelHandle b = LinuxCalls.nameToHandle(Files.createFile(dir.resolve("b")), false);
        assertThat(a.sameObjectAs(b)).isFalse();
    }

    @Test
    void openByHandleAfterRenameGivesTheSameObjectAndContent() throws IOException {
        Root.require();
        Path a = Files.writeString(dir.resolve("a"), "payload");
        KernelHandle h = LinuxCalls.nameToHandle(a, false);
        Files.createDirectory(dir.resolve("moved"));
        Path b = Files.move(a, dir.resolve("moved/b"));
        int mountFd = LinuxCalls.openMountFd(dir);
        try {
            int fd = LinuxCalls.openByHandle(mountFd, h, LinuxCalls.O_RDONLY);
            try {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
                try (java.nio.channels.FileChannel ch = FdChannels.of(fd, false)) {
                    fd = -1; // the channel owns it now
                    ch.read(buf, 0);
                }
                assertThat(new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo("payload");
            } finally {
                if (fd >= 0) {
                    LinuxCalls.close(fd);
                }
            }
        } finally {
            LinuxCalls.close(mountFd);
        }
    }

    @Test
    void openByHandleWithOPathOfADirectoryWorksAndFollowsRename() throws IOException {
        Root.require();
        Path d = Files.createDirectory(dir.resolve("d"));
        KernelHandle h = LinuxCalls.nameToHandle(d, false);
        Path e = Files.move(d, dir.resolve("e"));
        int mountFd = LinuxCalls.openMountFd(dir);
        try {
            int fd = LinuxCalls.openByHandle(mountFd, h, LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY);
            try {
                assertThat(LinuxCalls.fstat(fd).isDirectory()).isTrue();
                assertThat(LinuxCalls.fstat(fd).ino()).isEqualTo(LinuxCalls.lstat(e).ino());
            } finally {
                LinuxCalls.close(fd);
            }
        } finally {
            LinuxCalls.close(mountFd);
        }
    }

    @Test
    void openByHandleOfADeletedFileIsStale() throws IOException {
        Root.require();
        Path a = Files.writeString(dir.resolve("gone"), "x");
        KernelHandle h = LinuxCalls.nameToHandle(a, false);
        Files.delete(a);
        int mountFd = LinuxCalls.openMountFd(dir);
        try {
            assertThatThrownBy(() -> LinuxCalls.openByHandle(mountFd, h, LinuxCalls.O_PATH))
                    .isInstanceOf(StaleHandleException.class)
                    .hasMessageContaining("open_by_handle_at");
        } finally {
            LinuxCalls.close(mountFd);
        }
    }

    @Test
    void nameToHandleOfAMissingFileThrowsNoSuchFile() {
        assertThatThrownBy(() -> LinuxCalls.nameToHandle(dir.resolve("missing"), false))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("name_to_handle_at")
                .hasMessageContaining("No such file");
    }

    @Test
    void nameToHandleOfASymlinkGivesTheLinkUnlessFollowing() throws IOException {
        Path target = Files.createFile(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target.getFileName());
        KernelHandle t = LinuxCalls.nameToHandle(target, false);
        assertThat(LinuxCalls.nameToHandle(link, true).sameObjectAs(t)).isTrue();
        assertThat(LinuxCalls.nameToHandle(link, false).sameObjectAs(t)).isFalse();
    }

    @Test
    void closeOfABadFdThrows() {
        assertThatThrownBy(() -> LinuxCalls.close(987654)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining("Bad file descriptor");
    }

    @Test
    void lstatMatchesJavaUnixAttributesForFileDirectoryAndSymlink() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "0123456789");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_123L));
        Path d = Files.createDirectory(dir.resolve("d"));
        Path l = Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
        for (Path p : new Path[] {f, d, l}) {
            Stat s = LinuxCalls.lstat(p);
            Map<String, Object> u = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            assertThat(s.dev()).as("dev " + p).isEqualTo(u.get("dev"));
            assertThat(s.ino()).as("ino " + p).isEqualTo(u.get("ino"));
            assertThat(s.mode()).as("mode " + p).isEqualTo(u.get("mode"));
            assertThat(s.nlink()).as("nlink " + p).isEqualTo(u.get("nlink"));
            assertThat(s.uid()).as("uid " + p).isEqualTo(u.get("uid"));
            assertThat(s.gid()).as("gid " + p).isEqualTo(u.get("gid"));
            assertThat(s.rdev()).as("rdev " + p).isEqualTo(u.get("rdev"));
            assertThat(s.size()).as("size " + p).isEqualTo(u.get("size"));
            assertThat(FileTime.from(s.mtime())).as("mtime " + p).isEqualTo(u.get("lastModifiedTime"));
            assertThat(FileTime.from(s.atime())).as("atime " + p).isEqualTo(u.get("lastAccessTime"));
            assertThat(FileTime.from(s.ctime())).as("ctime " + p).isEqualTo(u.get("ctime"));
            assertThat(s.mountId()).isPositive();
        }
        Stat fs = LinuxCalls.lstat(f);
        assertThat(fs.isRegularFile()).isTrue();
        assertThat(fs.mtimeSec()).isEqualTo(1_600_000_000L);
        assertThat(fs.mtimeNsec()).isEqualTo(123_000_000);
        assertThat(fs.blocks()).isGreaterThanOrEqualTo(0);
        assertThat(LinuxCalls.lstat(d).isDirectory()).isTrue();
        assertThat(LinuxCalls.lstat(l).isSymbolicLink()).isTrue();
        assertThat(LinuxCalls.stat(l).ino()).isEqualTo(fs.ino());
        if (fs.hasBtime()) {
            assertThat(FileTime.from(fs.btime()))
                    .isEqualTo(Files.readAttributes(f, "basic:creationTime").get("creationTime"));
        }
    }

    @Test
    void blocksCountFiveHundredTwelveByteUnitsOfAllocatedData() throws IOException {
        Path f = dir.resolve("big");
        Files.write(f, new byte[1 << 20]);
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Stat s = LinuxCalls.lstat(f);
        assertThat(s.blocks() * 512).isBetween(1L << 20, (1L << 20) + 64 * 1024);
    }

    @Test
    void lstatOfAMissingPathThrowsNoSuchFile() {
        assertThatThrownBy(() -> LinuxCalls.lstat(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void statvfsIsSaneAndAgreesWithJavaFileStore() throws IOException {
        StatVfs v = LinuxCalls.statvfs(dir);
        FileStore store = Files.getFileStore(dir);
        assertThat(v.frsize()).isPositive();
        assertThat(v.bsize()).isPositive();
        assertThat(v.blocks()).isPositive();
        assertThat(v.bfree()).isBetween(0L, v.blocks());
        assertThat(v.bavail()).isBetween(0L, v.bfree());
        assertThat(v.files()).isPositive();
        assertThat(v.ffree()).isBetween(0L, v.files());
        assertThat(v.favail()).isBetween(0L, v.ffree());
        assertThat(v.namemax()).isEqualTo(255);
        assertThat(v.readOnly()).isFalse();
        assertThat(v.totalBytes()).isEqualTo(store.getTotalSpace());
        // free space moves while other processes write; allow 64 MiB of drift
        assertThat(v.availableBytes()).isCloseTo(store.getUsableSpace(), org.assertj.core.data.Offset.offset(64L << 20));
    }

    @Test
    void mknodCreatesAFifo() throws IOException {
        Path fifo = dir.resolve("fifo");
        LinuxCalls.mknod(fifo, LinuxCalls.S_IFIFO | 0644, 0);
        Stat s = LinuxCalls.lstat(fifo);
        assertThat(s.fileType()).isEqualTo(Stat.S_IFIFO);
        assertThat(Files.readAttributes(fifo, "unix:mode").get("mode")).isEqualTo(s.mode());
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThatThrownBy(() -> LinuxCalls.mknod(fifo, LinuxCalls.S_IFIFO | 0644, 0))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void mknodCreatesCharAndBlockDevicesWithTheirDeviceNumbers() throws IOException {
        Root.require();
        Path chr = dir.resolve("null2");
        long dev = LinuxCalls.makedev(1, 3);
        LinuxCalls.mknod(chr, LinuxCalls.S_IFCHR | 0600, dev);
        Stat s = LinuxCalls.lstat(chr);
        assertThat(s.fileType()).isEqualTo(Stat.S_IFCHR);
        assertThat(s.rdev()).isEqualTo(dev).isEqualTo(Files.readAttributes(chr, "unix:rdev").get("rdev"));

        Path blk = dir.resolve("blk");
        long big = LinuxCalls.makedev(259, 70000); // a minor above 255 exercises the split encoding
        LinuxCalls.mknod(blk, LinuxCalls.S_IFBLK | 0600, big);
        Stat b = LinuxCalls.lstat(blk);
        assertThat(b.fileType()).isEqualTo(Stat.S_IFBLK);
        assertThat(LinuxCalls.major(b.rdev())).isEqualTo(259);
        assertThat(LinuxCalls.minor(b.rdev())).isEqualTo(70000);
    }

    @Test
    void mknodCreatesASocketNode() throws IOException {
        Path sock = dir.resolve("sock");
        LinuxCalls.mknod(sock, LinuxCalls.S_IFSOCK | 0600, 0);
        assertThat(LinuxCalls.lstat(sock).fileType()).isEqualTo(Stat.S_IFSOCK);
    }

    @Test
    void makedevRoundTripsGlibcEncoding() {
        long d = LinuxCalls.makedev(0x12345, 0xabcdef);
        assertThat(LinuxCalls.major(d)).isEqualTo(0x12345);
        assertThat(LinuxCalls.minor(d)).isEqualTo(0xabcdef);
        assertThat(LinuxCalls.makedev(8, 1)).isEqualTo(0x801);
    }

    @Test
    void anOPathFdIsRejectedAsMountFdWhichIsWhyOpenMountFdUsesOReadOnly() throws IOException {
        Root.require();
        Path d = Files.createDirectory(dir.resolve("d"));
        KernelHandle h = LinuxCalls.nameToHandle(d, false);
        int pathFd = LinuxCalls.open(dir, LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY, 0);
        try {
            assertThatThrownBy(() -> LinuxCalls.openByHandle(pathFd, h, LinuxCalls.O_PATH))
                    .isInstanceOf(ErrnoException.class)
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(LinuxCalls.EBADF));
        } finally {
            LinuxCalls.close(pathFd);
        }
    }
}
