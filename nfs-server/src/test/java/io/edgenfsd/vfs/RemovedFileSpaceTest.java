package io.edgenfsd.vfs;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file whose last name goes (REMOVE, or RENAME over it) gives its blocks back at once: the server's
 * cached descriptors of it must not keep the inode allocated until garbage collection (on a full SD card
 * the client's rm would not free anything for tens of seconds). Needs root (mounts a tmpfs).
 */
class RemovedFileSpaceTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    private static long freeBytes(Path p) throws IOException {
        return Files.getFileStore(p).getUnallocatedSpace();
    }

    private static byte[] mib(int n, char fill) {
        byte[] b = new byte[n * MIB];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private interface OnExport {
        void run(Path export, NfsSession s, byte[] root, long freeWhenEmpty) throws Exception;
    }

    /** A 16 MiB tmpfs exported by a server of its own (needs root), unmounted afterwards. */
    private void onSmallTmpfs(OnExport body) throws Exception {
        assertThat(LinuxCalls.geteuid()).as("needs root").isZero();
        Path export = Files.createDirectories(tmp.resolve("small"));
        MountsAndFullFilesystemTest.run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0777", "edge-nfsd-test",
                export.toString());
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            body.run(export, s, s.lookupPath(export.toString()), freeBytes(export));
        } finally {
            MountsAndFullFilesystemTest.run("umount", "-l", export.toString());
        }
    }

    @Test
    void aFileRemovedOnTheHostFreesItsSpaceAsSoonAsTheServerSeesItGone() throws Exception {
        onSmallTmpfs((export, s, root, empty) -> {
            Files.write(export.resolve("host-removed"), mib(8, 'h'));
            byte[] fh = s.lookup(root, "host-removed"); // the server now holds a cached O_PATH fd of it
            assertThat(s.getattr(fh, Fattr.SIZE).size()).isEqualTo(8L * MIB);
            Files.delete(export.resolve("host-removed"));
            assertThat(empty - freeBytes(export)).as("still held by the server's fd").isGreaterThanOrEqualTo(8L * MIB);
            // the next use of the handle sees nlink 0: STALE, and the fd lets go at once (no GC, no sweep)
            assertThat(s.compound(c -> c.putfh(fh).getattr(Fattr.SIZE)).status()).isEqualTo(NfsStatus.STALE);
            assertThat(empty - freeBytes(export)).as("space back right after the STALE").isLessThan(MIB);
        });
    }

    @Test
    void removingOrRenamingOverAFileTheServerHasOpenedFreesItsSpaceAtOnce() throws Exception {
        onSmallTmpfs((export, s, root, empty) -> {
            // written on the host, then looked up and read through the server: a cached O_PATH fd
            Files.write(export.resolve("host-written"), mib(4, 'h'));
            byte[] fh = s.lookup(root, "host-written");
            assertThat(s.getattr(fh, Fattr.SIZE).size()).isEqualTo(4L * MIB);
            // created and written through the server: the create fd and a cached read/write channel
            NfsSession.OpenFile f = s.create(root, "nfs-written", Attrs.mode(0644));
            for (int i = 0; i < 4; i++) {
                s.write(f, (long) i * MIB, mib(1, 'n'), Op.FILE_SYNC);
            }
            s.close(f);
            // the target of a RENAME over it
            Files.write(export.resolve("replaced"), mib(4, 'r'));
            byte[] replacedFh = s.lookup(root, "replaced");
            Files.writeString(export.resolve("small-file"), "x");
            assertThat(empty - freeBytes(export)).as("12 MiB in use").isGreaterThanOrEqualTo(12L * MIB);

            s.compound(c -> c.putfh(root).remove("host-written")).orThrow();
            s.compound(c -> c.putfh(root).remove("nfs-written")).orThrow();
            s.compound(c -> c.putfh(root).savefh().rename("small-file", "replaced")).orThrow();

            // no waiting: the space is free as soon as the replies are in
            assertThat(empty - freeBytes(export)).as("bytes still allocated right after the removals")
                    .isLessThan(MIB);
            // and the old handles are stale, not a window on something else
            for (byte[] gone : new byte[][] {fh, f.fh(), replacedFh}) {
                CompoundReply r = s.compound(c -> c.putfh(gone).getattr(Fattr.SIZE));
                assertThat(r.status()).isEqualTo(NfsStatus.STALE);
            }
            assertThat(Files.readString(export.resolve("replaced"))).isEqualTo("x");
        });
    }

    @Test
    void aRemovedFileWhoseDescriptorWasEvictedFromTheCacheFreesItsSpaceAtOnce() throws Exception {
        String was = System.getProperty("edge.nfsd.fdCache");
        System.setProperty("edge.nfsd.fdCache", "1"); // every other object pushes the previous one out
        try {
            onSmallTmpfs((export, s, root, empty) -> {
                Files.write(export.resolve("big"), mib(8, 'b'));
                Files.writeString(export.resolve("other"), "o");
                byte[] big = s.lookup(root, "big");
                for (int i = 0; i < 3; i++) { // each PUTFH opens the object again: fds no cache knows of
                    assertThat(s.getattr(big, Fattr.SIZE).size()).isEqualTo(8L * MIB);
                    s.getattr(s.lookup(root, "other"), Fattr.SIZE);
                }
                s.compound(c -> c.putfh(root).remove("big")).orThrow();
                assertThat(empty - freeBytes(export)).as("bytes still allocated right after REMOVE").isLessThan(MIB);
                assertThat(s.compound(c -> c.putfh(big).getattr(Fattr.SIZE)).status()).isEqualTo(NfsStatus.STALE);
            });
        } finally {
            if (was == null) {
                System.clearProperty("edge.nfsd.fdCache");
            } else {
                System.setProperty("edge.nfsd.fdCache", was);
            }
        }
    }
}
