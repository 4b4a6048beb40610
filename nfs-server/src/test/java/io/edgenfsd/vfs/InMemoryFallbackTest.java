package io.edgenfsd.vfs;

import io.edgenfsd.export.ExportTable;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unprivileged fallback (no open_by_handle_at): objects are still fds, and a file is opened for I/O
 * by its one name in its directory's fd, checked to be the same inode, never by a path.
 */
class InMemoryFallbackTest {
    @TempDir
    Path dir;

    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private LocalFs fs() throws Exception {
        return new LocalFs(ExportTable.fromLines(List.of(dir + " *(rw,sync)"), "test"), new InMemoryHandleStore(),
                ThreadIdentity.NONE);
    }

    private static String read(LocalFs fs, Inode f) throws Exception {
        try (FileChannel ch = io.edgenfsd.vfs.linux.FdChannels.of(fs.openForIo(f, false), false)) {
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFileIsOpenedByItsNameInItsDirectoryAndFollowedThroughRenamesMadeByTheServer() throws Exception {
        LocalFs fs = fs();
        Inode root = fs.exportRoot(fs.exports().exports().get(0));
        Inode sub = fs.mkdir(root, "sub", 0755);
        Files.writeString(dir.resolve("sub/f"), "payload");
        Inode f = fs.lookup(sub, "f", CLIENT);
        assertThat(read(fs, f)).isEqualTo("payload");
        fs.rename(sub, "f", root, "g");
        Inode again = fs.resolve(f.handle(), CLIENT);
        assertThat(read(fs, again)).isEqualTo("payload");
    }

    @Test
    void aNameReplacedBySymlinkIsNotFollowedAndTheHandleGoesStale() throws Exception {
        LocalFs fs = fs();
        Inode root = fs.exportRoot(fs.exports().exports().get(0));
        Files.writeString(dir.resolve("f"), "inside");
        Path outside = Files.writeString(dir.getParent().resolve(dir.getFileName() + "-outside"), "outside");
        Inode f = fs.lookup(root, "f", CLIENT);
        Files.delete(dir.resolve("f"));
        Files.createSymbolicLink(dir.resolve("f"), outside);
        try {
            assertThatThrownBy(() -> read(fs, fs.resolve(f.handle(), CLIENT)))
                    .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.STALE));
        } finally {
            Files.delete(outside);
        }
    }
}
