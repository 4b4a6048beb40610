package io.edgenfsd.server;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hot reload of the exports while a client works: refused when invalid, state untouched when valid. */
class ExportsReloadTest {
    private static final byte[] LOCK_OWNER = "reload-lock-owner".getBytes();

    @TempDir
    Path tmp;
    Path file;
    TestServer server;
    NfsSession client;

    @BeforeEach
    void start() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("protocol tests need root (CI runs them as root)").isZero();
        for (String d : new String[] {"keep", "change", "gone", "added"}) {
            Files.createDirectories(tmp.resolve(d));
        }
        file = tmp.resolve("exports");
        String[] lines = {line("keep", "rw"), line("change", "rw"), line("gone", "rw")};
        Files.write(file, List.of(lines));
        server = TestServer.start(tmp.resolve("state"), 1 << 20,
                s -> s.withExportsSource(() -> ExportsConfig.load(List.of(file), List.of())), lines);
        client = server.session(Cred.root());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String line(String dir, String opts) {
        return tmp.resolve(dir) + " *(" + opts + ",sync,no_root_squash,insecure)";
    }

    @Test
    void anInvalidFileIsRefusedWithFileAndLineAndTheExportsInForceStay() throws Exception {
        byte[] gone = client.lookupPath(tmp.resolve("gone").toString());
        Files.write(file, List.of(line("keep", "rw"), tmp.resolve("gone") + " *(rw,bogus_option)"));

        ExportsReloader.Result r = server.server().reload();

        assertThat(r.ok()).isFalse();
        assertThat(r.message()).startsWith(file + ":2:").contains("bogus_option");
        NfsSession.OpenFile f = client.create(gone, "still-served", Attrs.mode(0644));
        assertThat(client.write(f, 0, new byte[10], Op.FILE_SYNC).count()).isEqualTo(10);
        assertThat(client.compound(c -> c.putfh(client.rootFh()).lookup("no-such-dir")).status())
                .isEqualTo(NfsStatus.NOENT);
    }

    @Test
    void aMissingDirectoryIsRefusedToo() throws Exception {
        Files.write(file, List.of(line("keep", "rw"), line("does-not-exist", "rw")));

        ExportsReloader.Result r = server.server().reload();

        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("does-not-exist").contains("does not exist");
        assertThat(client.lookupPath(tmp.resolve("gone").toString())).isNotEmpty();
    }

    @Test
    void aValidFileAddsChangesAndRemovesExportsWhileClientsOfTheKeptOneCarryOn() throws Exception {
        byte[] keep = client.lookupPath(tmp.resolve("keep").toString());
        byte[] change = client.lookupPath(tmp.resolve("change").toString());
        byte[] gone = client.lookupPath(tmp.resolve("gone").toString());
        NfsSession.OpenFile f = client.create(keep, "busy", Attrs.mode(0644));
        client.write(f, 0, new byte[100], Op.FILE_SYNC);
        CompoundReply locked = client.compound(c -> c.putfh(f.fh())
                .lockNew(Op.WRITE_LT, 0, 100, f.stateid(), client.clientId(), LOCK_OWNER));
        assertThat(locked.status()).isEqualTo(NfsStatus.OK);

        Files.write(file, List.of(line("change", "ro"), line("keep", "rw"), line("added", "rw")));
        ExportsReloader.Result r = server.server().reload();

        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.added()).containsExactly(tmp.resolve("added").toString());
        assertThat(r.changed()).containsExactly(tmp.resolve("change").toString());
        assertThat(r.removed()).containsExactly(tmp.resolve("gone").toString());
        // the kept export: same session, same open stateid, no grace, the lock still held
        Res.Write w = client.write(f, 100, new byte[50], Op.FILE_SYNC);
        assertThat(w.count()).isEqualTo(50);
        try (NfsSession other = server.session(Cred.root())) {
            CompoundReply t = other.compound(c -> c.putfh(f.fh())
                    .lockt(Op.WRITE_LT, 0, 1, other.clientId(), "someone-else".getBytes()));
            assertThat(t.status()).as("the lock taken before the reload still conflicts").isEqualTo(NfsStatus.DENIED);
            NfsSession.OpenFile again = other.open(keep, "busy", Op.ACCESS_READ, Op.DENY_NONE);
            assertThat(again.stateid()).isNotNull();
        }
        // changed options apply to the next call
        assertThat(client.compound(c -> c.putfh(change).mkdir("nope", Attrs.mode(0755))).status())
                .isEqualTo(NfsStatus.ROFS);
        // the removed export's handles are stale, the added one is served
        assertThat(client.compound(c -> c.putfh(gone).getattr(1)).status()).isEqualTo(NfsStatus.STALE);
        byte[] added = client.lookupPath(tmp.resolve("added").toString());
        assertThat(client.mkdir(added, "new-dir")).isNotEmpty();
        assertThat(Files.isDirectory(tmp.resolve("added/new-dir"))).isTrue();
    }

    @Test
    void handlesAlreadyInUseFollowTheReloadedTable() throws Exception {
        // objects inside the exports, used before the reload so that the server has them open (cached)
        byte[] changeDir = client.mkdir(client.lookupPath(tmp.resolve("change").toString()), "sub");
        NfsSession.OpenFile goneFile = client.create(client.lookupPath(tmp.resolve("gone").toString()), "f",
                Attrs.mode(0644));
        assertThat(client.compound(c -> c.putfh(changeDir).getattr(1)).status()).isEqualTo(NfsStatus.OK);
        assertThat(client.compound(c -> c.putfh(goneFile.fh()).getattr(1)).status()).isEqualTo(NfsStatus.OK);

        Files.write(file, List.of(line("change", "ro"), line("keep", "rw")));
        ExportsReloader.Result r = server.server().reload();

        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(client.compound(c -> c.putfh(changeDir).mkdir("nope", Attrs.mode(0755))).status())
                .as("a handle resolved before the reload gets the export's new options").isEqualTo(NfsStatus.ROFS);
        assertThat(Files.exists(tmp.resolve("change/sub/nope"))).isFalse();
        assertThat(client.compound(c -> c.putfh(goneFile.fh()).getattr(1)).status())
                .as("a handle resolved before its export was removed").isEqualTo(NfsStatus.STALE);
        assertThat(client.compound(c -> c.putfh(goneFile.fh())
                .write(goneFile.stateid(), 0, Op.FILE_SYNC, new byte[4])).status()).isEqualTo(NfsStatus.STALE);
        assertThat(Files.size(tmp.resolve("gone/f"))).isZero();
    }

    @Test
    void sighupReloadsTheExports() throws Exception {
        ReloadSignal.install(server.server());
        Files.write(file, List.of(line("keep", "rw"), line("added", "rw")));

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        NfsStatus st;
        do {
            Thread.sleep(50);
            byte[] d = client.lookupPath(tmp.toString());
            st = client.compound(c -> c.putfh(d).lookup("added")).status();
        } while (st != NfsStatus.OK && System.nanoTime() < deadline);
        assertThat(st).as("the export added by SIGHUP is visible").isEqualTo(NfsStatus.OK);
        assertThat(client.compound(c -> c.putfh(client.rootFh()).lookup("no-such-dir")).status())
                .isEqualTo(NfsStatus.NOENT);
    }

    @Test
    void reloadingTheSameFileChangesNothing() throws Exception {
        ExportsReloader.Result r = server.server().reload();

        assertThat(r.ok()).isTrue();
        assertThat(r.added()).isEmpty();
        assertThat(r.changed()).isEmpty();
        assertThat(r.removed()).isEmpty();
    }
}
