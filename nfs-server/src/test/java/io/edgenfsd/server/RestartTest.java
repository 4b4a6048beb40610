package io.edgenfsd.server;

import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.FileHandleCodec;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What survives a server restart (issue 6): file handles, the changed write verifier, data forced by
 * COMMIT, and the grace period in which the previous run's clients reclaim their opens and locks.
 */
class RestartTest {
    @TempDir
    Path tmp;
    Path export;
    Path stateDir;
    NfsServer server;
    InetSocketAddress address;

    @BeforeEach
    void setUp() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("restart tests need root (kernel file handles)").isZero();
        export = tmp.resolve("exp");
        stateDir = tmp.resolve("state");
        Files.createDirectories(export);
        Files.createDirectories(stateDir);
        start(0);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private void start(int graceSeconds) throws Exception {
        server = new NfsServer(new ServerConfig(InetAddress.getLoopbackAddress(), 0, stateDir, 90, graceSeconds,
                1 << 20, 4), ExportsConfig.load(List.of(), List.of(export + " *(rw,sync,no_root_squash,insecure)")));
        address = server.start();
    }

    private void restart(int graceSeconds) throws Exception {
        server.close();
        start(graceSeconds);
    }

    private NfsSession session(String owner, boolean reclaimComplete) {
        return NfsSession.establish(RpcClient.connect(address), Cred.root(), owner, reclaimComplete);
    }

    @Test
    void fileHandleKeptByTheClientStillWorksAfterARestart() throws Exception {
        Files.writeString(export.resolve("f"), "kept");
        NfsSession s = session("restart-handles", true);
        byte[] fh = s.lookupPath(export + "/f");
        long fileid = s.getattr(fh, 20).fileid();
        restart(0);
        NfsSession again = session("restart-handles-2", true);
        CompoundReply r = again.compound(c -> c.putfh(fh).getattr(20));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(again.getattr(fh, 20).fileid()).isEqualTo(fileid);
    }

    @Test
    void handleFollowsARenameMadeOnTheHostBehindTheServersBack() throws Exception {
        Files.createDirectories(export.resolve("a"));
        Files.writeString(export.resolve("a/f"), "moved");
        NfsSession s = session("rename-on-host", true);
        byte[] fh = s.lookupPath(export + "/a/f");
        Files.createDirectories(export.resolve("b"));
        Files.move(export.resolve("a/f"), export.resolve("b/g"));
        NfsSession.OpenFile f = new NfsSession.OpenFile(fh,
                s.compound(c -> c.putfh(fh).openFh(Op.ACCESS_READ, 0, s.clientId(), s.openOwner()))
                        .orThrow().body(Op.OPEN, Res.Open.class).stateid());
        assertThat(new String(s.read(f, 0, 100).data(), StandardCharsets.UTF_8)).isEqualTo("moved");
    }

    @Test
    void unstableWriteIsOnDiskAfterCommitAndTheVerifierChangesOnRestart() throws Exception {
        NfsSession s = session("commit", true);
        byte[] dir = s.lookupPath(export.toString());
        NfsSession.OpenFile f = s.create(dir, "data", io.edgenfsd.client.Attrs.mode(0644));
        byte[] payload = "unstable until committed".getBytes(StandardCharsets.UTF_8);
        Res.Write w = s.write(f, 0, payload, Op.UNSTABLE);
        assertThat(w.committed()).isEqualTo(Op.UNSTABLE);
        byte[] v1 = s.compound(c -> c.putfh(f.fh()).commit(0, 0)).orThrow().body(Op.COMMIT, byte[].class);
        assertThat(v1).isEqualTo(w.verifier());
        // an independent reader (not through the server) sees the committed bytes
        assertThat(Files.readAllBytes(export.resolve("data"))).isEqualTo(payload);
        restart(0);
        NfsSession t = session("commit-2", true);
        byte[] fh = t.lookupPath(export + "/data");
        byte[] v2 = t.compound(c -> c.putfh(fh).commit(0, 0)).orThrow().body(Op.COMMIT, byte[].class);
        assertThat(v2).as("write verifier after restart").isNotEqualTo(v1);
    }

    @Test
    void previousClientsReclaimInGraceWhileNewOpensWait() throws Exception {
        Files.writeString(export.resolve("held"), "x");
        NfsSession before = session("reclaimer", true);
        byte[] fh = before.lookupPath(export + "/held");
        before.compound(c -> c.putfh(fh).openFh(Op.ACCESS_READ | Op.ACCESS_WRITE, 0, before.clientId(),
                before.openOwner())).orThrow();
        restart(60);

        NfsSession stranger = session("stranger", true);
        CompoundReply blocked = stranger.compound(c -> c.putfh(fh).openFh(Op.ACCESS_READ, 0, stranger.clientId(),
                stranger.openOwner()));
        assertThat(blocked.status()).isEqualTo(NfsStatus.GRACE);
        NfsSession strangerReclaim = session("stranger-2", false);
        CompoundReply bad = strangerReclaim.compound(c -> c.putfh(fh).openPrevious(Op.ACCESS_READ, 0,
                strangerReclaim.clientId(), strangerReclaim.openOwner()));
        assertThat(bad.status()).isEqualTo(NfsStatus.RECLAIM_BAD);

        NfsSession after = session("reclaimer", false);
        CompoundReply reclaim = after.compound(c -> c.putfh(fh).openPrevious(Op.ACCESS_READ | Op.ACCESS_WRITE, 0,
                after.clientId(), after.openOwner()));
        assertThat(reclaim.status()).isEqualTo(NfsStatus.OK);
        assertThat(after.compound(c -> c.reclaimComplete(false)).status()).isEqualTo(NfsStatus.OK);

        // every previous client has reclaimed: grace is over, new opens proceed
        CompoundReply now = stranger.compound(c -> c.putfh(fh).openFh(Op.ACCESS_READ, 0, stranger.clientId(),
                stranger.openOwner()));
        assertThat(now.status()).isEqualTo(NfsStatus.OK);
        CompoundReply late = after.compound(c -> c.putfh(fh).openPrevious(Op.ACCESS_READ, 0, after.clientId(),
                after.openOwner()));
        assertThat(late.status()).isEqualTo(NfsStatus.NO_GRACE);
    }

    @Test
    void writeDelegationHeldBeforeARestartIsGrantedAgainOnReclaim() throws Exception {
        // the Linux client keeps locks under a write delegation to itself; a refused reclaim loses them
        Files.writeString(export.resolve("delegated"), "x");
        NfsSession before = session("deleg-reclaimer", true);
        byte[] fh = before.lookupPath(export + "/delegated");
        Res.Open first = before.compound(c -> c.putfh(fh).openFh(Op.ACCESS_READ | Op.ACCESS_WRITE, 0,
                before.clientId(), before.openOwner())).orThrow().body(Op.OPEN, Res.Open.class);
        assertThat(first.delegationType()).as("write delegation granted before the restart").isEqualTo(2);
        restart(60);

        NfsSession after = session("deleg-reclaimer", false);
        Res.Open back = after.compound(c -> c.putfh(fh).openPrevious(Op.ACCESS_READ | Op.ACCESS_WRITE, 0,
                after.clientId(), after.openOwner(), 2)).orThrow().body(Op.OPEN, Res.Open.class);
        assertThat(back.delegationType()).as("write delegation reclaimed").isEqualTo(2);
        assertThat(back.delegation()).isNotNull();
        assertThat(after.compound(c -> c.reclaimComplete(false)).status()).isEqualTo(NfsStatus.OK);
        assertThat(after.compound(c -> c.testStateid(back.delegation())).orThrow().last().body())
                .isEqualTo(new int[] {NfsStatus.OK.code});
    }

    @Test
    void removeWaitsDuringGrace() throws Exception {
        Files.writeString(export.resolve("victim"), "x");
        session("holder", true);
        restart(60);
        NfsSession s = session("remover", true);
        byte[] dir = s.lookupPath(export.toString());
        assertThat(s.compound(c -> c.putfh(dir).remove("victim")).status()).isEqualTo(NfsStatus.GRACE);
        assertThat(export.resolve("victim")).exists();
    }

    @Test
    void handleOfADirectoryOutsideTheExportSignedWithTheRightKeyIsStale() throws Exception {
        // A stolen key lets a forger seal a handle for anything; directories are still checked to lie under
        // the export (their ".." chain must meet its root), since from one a client could walk anywhere.
        // Non-directories are not (no_subtree_check, as knfsd: their handle carries no parent).
        Path outside = Files.createDirectories(tmp.resolve("outside-dir"));
        Files.writeString(outside.resolve("secret"), "secret");
        FileHandleCodec codec = FileHandleCodec.loadOrCreate(stateDir);
        NfsSession s = session("forger", true);
        byte[] exportFh = s.lookupPath(export.toString());
        int exportId = codec.decode(exportFh).exportId();
        byte[] forged = codec.encode(exportId, LinuxCalls.nameToHandle(outside, false));
        CompoundReply r = s.compound(c -> c.putfh(forged).getattr(4));
        assertThat(r.status()).isIn(NfsStatus.STALE, NfsStatus.BADHANDLE);
        CompoundReply read = s.compound(c -> c.putfh(forged).lookup("secret").openFh(Op.ACCESS_READ, 0, s.clientId(),
                s.openOwner()));
        assertThat(read.status()).isNotEqualTo(NfsStatus.OK);
    }

    @Test
    void handleWithAFlippedByteIsRefusedBeforeAnyDataIsReached() throws Exception {
        Files.writeString(export.resolve("f"), "data");
        NfsSession s = session("flipper", true);
        byte[] fh = s.lookupPath(export + "/f");
        for (int i = 0; i < fh.length; i++) {
            byte[] bad = fh.clone();
            bad[i] ^= 0x01;
            CompoundReply r = s.compound(c -> c.putfh(bad).getattr(4));
            assertThat(r.status()).as("byte %d flipped", i).isIn(NfsStatus.BADHANDLE, NfsStatus.STALE);
        }
    }
}
