package io.edgenfsd.vfs;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real mounts (needs root, as the suite runs in CI): a bind mount inside an export is not served without
 * crossmnt; a full filesystem answers NFS4ERR_NOSPC for WRITE and create, keeps acknowledged data, and
 * the server keeps serving.
 */
class MountsAndFullFilesystemTest {
    @TempDir
    Path tmp;

    /** Runs a command (mount, umount), failing with its output. */
    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out);
        }
    }

    @Test
    void aBindMountInsideAnExportIsNotServedWithoutCrossmnt() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("needs root").isZero();
        Path export = Files.createDirectories(tmp.resolve("exp"));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("secret"), "mounted data");
        Path mnt = Files.createDirectories(export.resolve("mnt"));
        run("mount", "--bind", other.toString(), mnt.toString());
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            byte[] root = s.lookupPath(export.toString());
            CompoundReply r = s.compound(c -> c.putfh(root).lookup("mnt").lookup("secret").getfh());
            assertThat(r.status()).isEqualTo(NfsStatus.ACCESS);
            CompoundReply d = s.compound(c -> c.putfh(root).readdir(0, new byte[8], 4096, 32768,
                    Fattr.RDATTR_ERROR, Fattr.FILEID));
            Res.ReadDir list = d.orThrow().body(Op.READDIR, Res.ReadDir.class);
            Res.DirEntry e = list.entries().stream().filter(x -> x.name().equals("mnt")).findFirst().orElseThrow();
            assertThat(e.attrs().rdattrError()).isEqualTo(NfsStatus.ACCESS.code);
        } finally {
            run("umount", mnt.toString());
        }
    }

    @Test
    void aFullFilesystemAnswersNospcKeepsAcknowledgedDataAndKeepsServing() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("needs root").isZero();
        Path export = Files.createDirectories(tmp.resolve("full"));
        run("mount", "-t", "tmpfs", "-o", "size=512k,nr_inodes=32,mode=0777", "edge-nfsd-test", export.toString());
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            byte[] root = s.lookupPath(export.toString());
            NfsSession.OpenFile f = s.create(root, "data", Attrs.mode(0644));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            long off = 0;
            NfsStatus last = NfsStatus.OK;
            for (int i = 0; i < 64 && last == NfsStatus.OK; i++) { // bounded: 4 MiB on a 512 KiB filesystem
                long o = off;
                byte[] data = chunk.clone();
                Arrays.fill(data, (byte) ('a' + i % 26));
                CompoundReply w = s.compound(c -> c.putfh(f.fh()).write(f.stateid(), o, Op.FILE_SYNC, data));
                last = w.last().status();
                if (last == NfsStatus.OK) {
                    off += w.last().as(Res.Write.class).count();
                }
            }
            assertThat(last).as("WRITE on a full filesystem").isEqualTo(NfsStatus.NOSPC);
            long acked = off;
            assertThat(acked).isPositive();

            NfsStatus create = NfsStatus.OK;
            for (int i = 0; i < 64 && create == NfsStatus.OK; i++) { // nr_inodes=32: creates run out too
                String n = "f" + i;
                create = s.compound(c -> c.putfh(root).openCreate(Op.ACCESS_BOTH, Op.DENY_NONE, s.clientId(),
                        s.openOwner(), Op.UNCHECKED, Attrs.mode(0644), null, n)).last().status();
            }
            assertThat(create).as("create on a full filesystem").isEqualTo(NfsStatus.NOSPC);
            NfsStatus mkdir = s.compound(c -> c.putfh(root).mkdir("d", Attrs.mode(0755))).last().status();
            assertThat(mkdir).isEqualTo(NfsStatus.NOSPC);

            // what was acknowledged is there, byte for byte
            byte[] onDisk = Files.readAllBytes(export.resolve("data"));
            assertThat((long) onDisk.length).isGreaterThanOrEqualTo(acked);
            for (int i = 0; i < acked; i++) {
                if (onDisk[i] != (byte) ('a' + (i / chunk.length) % 26)) {
                    throw new AssertionError("byte " + i + " of acknowledged data changed");
                }
            }
            // and the server keeps serving: free space, write again
            assertThat(s.getattr(root, Fattr.TYPE).type()).isEqualTo(Op.NF4DIR);
            s.compound(c -> c.putfh(root).remove("f0")).orThrow();
            s.compound(c -> c.putfh(f.fh()).setattr(f.stateid(), Attrs.none().withSize(0))).orThrow();
            Res.Write again = s.write(f, 0, "after".getBytes(StandardCharsets.UTF_8), Op.FILE_SYNC);
            assertThat(again.count()).isEqualTo(5);
        } finally {
            run("umount", "-l", export.toString());
        }
    }

    @Test
    void anMtimeInTheYear2100SurvivesTheRoundTrip() throws Exception {
        Path export = Files.createDirectories(tmp.resolve("times"));
        Files.writeString(export.resolve("f"), "x");
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            byte[] fh = s.lookupPath(export + "/f");
            long y2100 = 4_102_444_800L;
            s.compound(c -> c.putfh(fh).setattr(io.edgenfsd.client.Stateid.ANONYMOUS,
                    Attrs.none().withMtime(y2100))).orThrow();
            assertThat(Files.getLastModifiedTime(export.resolve("f")).toMillis() / 1000).isEqualTo(y2100);
        }
    }
}
