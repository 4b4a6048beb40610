package io.edgenfsd.vfs;

import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.edgenfsd.vfs.MountsAndFullFilesystemTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * crossmnt as knfsd does it (fs/nfsd/vfs.c nfsd_cross_mnt): a tmpfs mounted inside an export is served only
 * with crossmnt, then with its own fsid, its own space, mounted_on_fileid = the covered directory's fileid,
 * handles that reopen after a restart and go stale once it is unmounted; a symbolic link put where the
 * mount point was is never followed. Needs root (mounts a tmpfs); skipped with a message otherwise.
 */
class CrossedMountTest {
    private static final int MOUNTED_ON_FILEID = 55;
    private static final int SPACE_TOTAL = 44;

    @TempDir
    Path tmp;
    Path export;
    Path mnt;
    long coveredIno;

    @BeforeEach
    void exportWithAMountPoint() throws Exception {
        Assumptions.assumeTrue(LinuxCalls.geteuid() == 0, "not root: cannot mount a tmpfs, crossmnt not tested");
        export = Files.createDirectories(tmp.resolve("exp"));
        mnt = Files.createDirectories(export.resolve("mnt"));
        coveredIno = (Long) Files.getAttribute(mnt, "unix:ino");
        Files.writeString(export.resolve("mnt/hidden"), "under the mount");
    }

    private void mountTmpfs() throws Exception {
        run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "edge-nfsd-xmnt", mnt.toString());
        Files.writeString(mnt.resolve("inside"), "on the tmpfs");
        Files.createDirectories(mnt.resolve("sub"));
    }

    private void umountLazy() {
        try {
            run("umount", "-l", mnt.toString());
        } catch (Exception ignored) {
            // already unmounted by the test
        }
    }

    private static long[] fsid(Fattr a) {
        return (long[]) a.attrs().get(Fattr.FSID);
    }

    @Test
    void withoutCrossmntTheMountIsNotServed() throws Exception {
        mountTmpfs();
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            byte[] root = s.lookupPath(export.toString());
            assertThat(s.compound(c -> c.putfh(root).lookup("mnt").getfh()).status()).isEqualTo(NfsStatus.ACCESS);
            assertThat(s.compound(c -> c.putfh(root).lookup("mnt").lookup("inside").getfh()).status())
                    .isEqualTo(NfsStatus.ACCESS);
        } finally {
            umountLazy();
        }
    }

    @Test
    void withCrossmntLookupEntersTheMountWithItsOwnFsidSpaceAndMountedOnFileid() throws Exception {
        mountTmpfs();
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure,crossmnt)");
             NfsSession s = server.session(Cred.root())) {
            byte[] root = s.lookupPath(export.toString());
            Fattr ra = s.getattr(root, Fattr.FSID, Fattr.FILEID, SPACE_TOTAL);
            byte[] m = s.lookup(root, "mnt");
            Fattr ma = s.getattr(m, Fattr.TYPE, Fattr.FSID, Fattr.FILEID, SPACE_TOTAL, MOUNTED_ON_FILEID);
            assertThat(ma.type()).isEqualTo(Op.NF4DIR);
            assertThat(fsid(ma)).as("fsid of the mounted tmpfs").isNotEqualTo(fsid(ra));
            assertThat((Long) ma.attrs().get(Fattr.FILEID)).isEqualTo((Long) Files.getAttribute(mnt, "unix:ino"));
            assertThat((Long) ma.attrs().get(MOUNTED_ON_FILEID)).as("the covered directory's fileid")
                    .isEqualTo(coveredIno).isNotEqualTo(ma.attrs().get(Fattr.FILEID));
            assertThat((Long) ma.attrs().get(SPACE_TOTAL)).as("the tmpfs's own size").isEqualTo(1L << 20)
                    .isNotEqualTo(ra.attrs().get(SPACE_TOTAL));

            // its content, not the covered directory's
            byte[] inside = s.lookup(m, "inside");
            assertThat(s.getattr(inside, Fattr.SIZE).size()).isEqualTo("on the tmpfs".length());
            assertThat(fsid(s.getattr(inside, Fattr.FSID))).isEqualTo(fsid(ma));
            assertThat(s.compound(c -> c.putfh(m).lookup("hidden")).status()).isEqualTo(NfsStatus.NOENT);

            // LOOKUPP from the mounted root and from a directory in it
            CompoundReply up = s.compound(c -> c.putfh(m).lookupp().getattr(Fattr.FILEID, Fattr.FSID)).orThrow();
            Fattr upA = up.body(Op.GETATTR, Fattr.class);
            assertThat((Long) upA.attrs().get(Fattr.FILEID)).isEqualTo(ra.attrs().get(Fattr.FILEID));
            assertThat(fsid(upA)).isEqualTo(fsid(ra));
            byte[] sub = s.lookup(m, "sub");
            Fattr subUp = s.compound(c -> c.putfh(sub).lookupp().getattr(Fattr.FILEID)).orThrow()
                    .body(Op.GETATTR, Fattr.class);
            assertThat((Long) subUp.attrs().get(Fattr.FILEID)).isEqualTo(ma.attrs().get(Fattr.FILEID));

            // READDIR of the parent shows the mount point with the mounted root's attributes
            Res.ReadDir list = s.compound(c -> c.putfh(root).readdir(0, new byte[8], 4096, 32768,
                    Fattr.RDATTR_ERROR, Fattr.FSID, Fattr.FILEID, MOUNTED_ON_FILEID)).orThrow()
                    .body(Op.READDIR, Res.ReadDir.class);
            Res.DirEntry e = list.entries().stream().filter(x -> x.name().equals("mnt")).findFirst().orElseThrow();
            assertThat(fsid(e.attrs())).isEqualTo(fsid(ma));
            assertThat((Long) e.attrs().attrs().get(Fattr.FILEID)).isEqualTo(ma.attrs().get(Fattr.FILEID));
            assertThat((Long) e.attrs().attrs().get(MOUNTED_ON_FILEID)).isEqualTo(coveredIno);
        } finally {
            umountLazy();
        }
    }

    @Test
    void handlesOfTheMountReopenAfterARestartAndGoStaleOnceItIsUnmounted() throws Exception {
        mountTmpfs();
        String line = export + " *(rw,sync,no_root_squash,insecure,crossmnt)";
        byte[] m;
        byte[] inside;
        byte[] sub;
        long[] fsid;
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20, line);
             NfsSession s = server.session(Cred.root())) {
            byte[] root = s.lookupPath(export.toString());
            m = s.lookup(root, "mnt");
            inside = s.lookup(m, "inside");
            sub = s.lookup(m, "sub");
            fsid = fsid(s.getattr(m, Fattr.FSID));
        }
        try {
            // a new server process knows nothing of the mount: the handles find it again in the mount table
            try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20, line);
                 NfsSession s = server.session(Cred.root())) {
                assertThat(s.getattr(inside, Fattr.SIZE).size()).isEqualTo("on the tmpfs".length());
                assertThat(fsid(s.getattr(m, Fattr.FSID))).as("fsid stable across a restart").isEqualTo(fsid);
                Fattr subUp = s.compound(c -> c.putfh(sub).lookupp().getattr(Fattr.FILEID)).orThrow()
                        .body(Op.GETATTR, Fattr.class);
                assertThat((Long) subUp.attrs().get(Fattr.FILEID)).isEqualTo(Files.getAttribute(mnt, "unix:ino"));

                run("umount", "-l", mnt.toString());
                assertThat(s.compound(c -> c.putfh(inside).getattr(Fattr.SIZE)).status()).isEqualTo(NfsStatus.STALE);
                assertThat(s.compound(c -> c.putfh(m).getattr(Fattr.FSID)).status()).isEqualTo(NfsStatus.STALE);
                // the covered directory is what the name shows now, a plain directory of the export
                byte[] root = s.lookupPath(export.toString());
                assertThat(s.getattr(s.lookup(s.lookup(root, "mnt"), "hidden"), Fattr.SIZE).size())
                        .isEqualTo("under the mount".length());
            }
            // and a new server does not find it either
            try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20, line);
                 NfsSession s = server.session(Cred.root())) {
                assertThat(s.compound(c -> c.putfh(inside).getattr(Fattr.SIZE)).status()).isEqualTo(NfsStatus.STALE);
            }
        } finally {
            umountLazy();
        }
    }

    @Test
    void aSymlinkPlantedWhereTheMountPointWasIsNeverFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "outside the export");
        mountTmpfs();
        String line = export + " *(rw,sync,no_root_squash,insecure,crossmnt)";
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20, line);
             NfsSession s = server.session(Cred.root())) {
            byte[] root = s.lookupPath(export.toString());
            byte[] m = s.lookup(root, "mnt");
            run("umount", "-l", mnt.toString());
            Files.delete(export.resolve("mnt/hidden"));
            Files.delete(mnt);
            Files.createSymbolicLink(mnt, outside);
            // the old handle names a mount that is gone; the name is now a link, returned as a link
            assertThat(s.compound(c -> c.putfh(m).lookup("secret").getfh()).status()).isEqualTo(NfsStatus.STALE);
            CompoundReply r = s.compound(c -> c.putfh(root).lookup("mnt").getattr(Fattr.TYPE));
            assertThat(r.orThrow().body(Op.GETATTR, Fattr.class).type()).isEqualTo(Op.NF4LNK);
            NfsStatus through = s.compound(c -> c.putfh(root).lookup("mnt").lookup("secret").getfh()).status();
            assertThat(through).isIn(NfsStatus.SYMLINK, NfsStatus.NOTDIR);
            // and a mount on the outside directory (reached only through the link) is not entered either
            run("mount", "-t", "tmpfs", "-o", "size=1m", "edge-nfsd-xmnt2", outside.toString());
            try {
                Files.writeString(outside.resolve("secret"), "mounted outside");
                assertThat(s.compound(c -> c.putfh(root).lookup("mnt").lookup("secret").getfh()).status())
                        .isIn(NfsStatus.SYMLINK, NfsStatus.NOTDIR);
            } finally {
                run("umount", "-l", outside.toString());
            }
        } finally {
            Files.deleteIfExists(mnt);
        }
    }

    @Test
    void aNestedExportThatIsAMountOfItsOwnIsCrossedIntoAndLookuppLeadsBack() throws Exception {
        mountTmpfs();
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)", mnt + " *(rw,sync,no_root_squash,insecure,nohide)");
             NfsSession s = server.session(Cred.root())) {
            byte[] root = s.lookupPath(export.toString());
            Fattr ra = s.getattr(root, Fattr.FSID, Fattr.FILEID);
            byte[] m = s.lookup(root, "mnt");
            Fattr ma = s.getattr(m, Fattr.FSID);
            assertThat(fsid(ma)).isNotEqualTo(fsid(ra));
            assertThat(s.getattr(s.lookup(m, "inside"), Fattr.SIZE).size()).isEqualTo("on the tmpfs".length());
            Fattr up = s.compound(c -> c.putfh(m).lookupp().getattr(Fattr.FILEID, Fattr.FSID)).orThrow()
                    .body(Op.GETATTR, Fattr.class);
            assertThat((Long) up.attrs().get(Fattr.FILEID)).isEqualTo(ra.attrs().get(Fattr.FILEID));
            assertThat(fsid(up)).isEqualTo(fsid(ra));
        } finally {
            umountLazy();
        }
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        assertThat(CrossedMounts.unescape("/srv/a\\040b\\134c")).isEqualTo("/srv/a b\\c");
        assertThat(CrossedMounts.makedev(8, 1)).isEqualTo(0x801L);
        assertThat(CrossedMounts.makedev(0, 300)).isEqualTo((300L & 0xff) | ((300L & ~0xffL) << 12));
    }
}
