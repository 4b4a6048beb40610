package io.edgenfsd.vfs;

import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ext4 hands a freed inode number to the next new file at once. A file handle, an open and the cached
 * channel of the old file must never reach the new one (the bug behind a corrupted sqlite journal).
 */
class InodeReuseTest {
    @TempDir
    Path tmp;

    private static long ino(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Test
    void handleOfAFileReplacedOnTheHostUnderTheSameInodeNumberIsStaleAndNeverReachesTheNewFile() throws Exception {
        Path export = Files.createDirectories(tmp.resolve("exp"));
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)")) {
            NfsSession s = server.session(Cred.root());
            Path f = export.resolve("journal");
            Files.writeString(f, "old file");
            byte[] oldFh = s.lookupPath(f.toString());
            NfsSession.OpenFile old = new NfsSession.OpenFile(oldFh, s.compound(c -> c.putfh(oldFh)
                    .openFh(Op.ACCESS_READ | Op.ACCESS_WRITE, 0, s.clientId(), s.openOwner()))
                    .orThrow().body(Op.OPEN, Res.Open.class).stateid());
            s.write(old, 0, "OLD".getBytes(StandardCharsets.UTF_8), Op.UNSTABLE); // caches a channel
            s.close(old); // the cached channel goes with the last open, so the inode can be freed

            long oldIno = ino(f);
            Files.delete(f); // behind the server's back
            Path g = export.resolve("journal");
            Files.writeString(g, "new file");
            // ext4 reuses a freed inode number at once; here it may not be free yet (the server's cached O_PATH
            // fd of the old file keeps it until PUTFH finds it unlinked): either way the old handle is STALE
            System.out.println("inode number reused: " + (ino(g) == oldIno));

            CompoundReply stale = s.compound(c -> c.putfh(oldFh).getattr(4));
            assertThat(stale.status()).isIn(NfsStatus.STALE, NfsStatus.BADHANDLE);

            byte[] newFh = s.lookupPath(g.toString());
            assertThat(newFh).isNotEqualTo(oldFh);
            // the old (closed) open's stateid is not an open of the new file
            CompoundReply w = s.compound(c -> c.putfh(newFh).write(old.stateid(), 0, Op.FILE_SYNC,
                    "XX".getBytes(StandardCharsets.UTF_8)));
            assertThat(w.status()).isIn(NfsStatus.BAD_STATEID, NfsStatus.OLD_STATEID);
            // a fresh open of the new file writes to the new file, not through the old file's cached channel
            NfsSession.OpenFile fresh = new NfsSession.OpenFile(newFh, s.compound(c -> c.putfh(newFh)
                    .openFh(Op.ACCESS_READ | Op.ACCESS_WRITE, 0, s.clientId(), s.openOwner()))
                    .orThrow().body(Op.OPEN, Res.Open.class).stateid());
            s.write(fresh, 0, "NEW".getBytes(StandardCharsets.UTF_8), Op.FILE_SYNC);
            assertThat(Files.readString(g)).isEqualTo("NEW file");
        }
    }
}
