package io.edgenfsd.server;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `edge-nfsd status` and `edge-nfsd reload` against a running server over its admin socket. */
class AdminSocketTest {
    @TempDir
    Path tmp;
    Path exports;
    Path socket;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("protocol tests need root (CI runs them as root)").isZero();
        Files.createDirectories(tmp.resolve("exp"));
        exports = tmp.resolve("exports");
        String line = tmp.resolve("exp") + " 127.0.0.1(rw,sync,no_root_squash,insecure)";
        Files.writeString(exports, line + "\n");
        socket = tmp.resolve("run/edge-nfsd/admin.sock");
        server = TestServer.start(tmp.resolve("state"), 1 << 20, s -> s.withAdminSocket(socket)
                .withExportsSource(() -> ExportsConfig.load(List.of(exports), List.of())), line);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Cli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void theSocketIsRootsOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusJsonListsTheClientItsOpenFileAndItsLock() throws Exception {
        try (NfsSession s = server.session(Cred.root())) {
            byte[] dir = s.lookupPath(tmp.resolve("exp").toString());
            NfsSession.OpenFile f = s.create(dir, "held", Attrs.mode(0644));
            CompoundReply l = s.compound(c -> c.putfh(f.fh())
                    .lockNew(Op.WRITE_LT, 10, 20, f.stateid(), s.clientId(), "status-owner".getBytes()));
            assertThat(l.status()).isEqualTo(NfsStatus.OK);
            long ino = (Long) Files.getAttribute(tmp.resolve("exp/held"), "unix:ino");

            Run r = cli("status", "-o", "json", "--admin-socket", socket.toString());

            assertThat(r.exit()).as(r.err()).isZero();
            Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(r.out());
            String clientId = Long.toHexString(s.clientId());
            List<Map<String, Object>> clients = (List<Map<String, Object>>) doc.get("clients");
            Map<String, Object> me = clients.stream().filter(c -> clientId.equals(c.get("clientid"))).findFirst()
                    .orElseThrow(() -> new AssertionError("client " + clientId + " not in " + clients));
            assertThat((List<String>) me.get("addresses")).anyMatch(a -> a.contains("127.0.0.1"));
            assertThat(((Number) me.get("lease_left_s")).doubleValue()).isGreaterThan(0);
            assertThat((List<Map<String, Object>>) doc.get("sessions"))
                    .anyMatch(x -> clientId.equals(x.get("clientid")));
            List<Map<String, Object>> files = (List<Map<String, Object>>) doc.get("files");
            Map<String, Object> held = files.stream().filter(x -> ((Number) x.get("inode")).longValue() == ino)
                    .findFirst().orElseThrow(() -> new AssertionError("inode " + ino + " not in " + files));
            assertThat((List<Map<String, Object>>) held.get("opens")).singleElement()
                    .satisfies(o -> assertThat(o).containsEntry("clientid", clientId).containsEntry("access", "both"));
            assertThat((List<Map<String, Object>>) held.get("locks")).singleElement()
                    .satisfies(o -> assertThat(o).containsEntry("type", "write").containsEntry("start", "10")
                            .containsEntry("end", "30"));
            List<Map<String, Object>> ex = (List<Map<String, Object>>) doc.get("exports");
            assertThat(ex).singleElement().satisfies(e -> assertThat(e.get("path")).isEqualTo(tmp.resolve("exp").toString()));
            assertThat(doc.get("grace")).isEqualTo(false);

            Run table = cli("status", "--admin-socket", socket.toString());
            assertThat(table.exit()).isZero();
            assertThat(table.out()).contains("CLIENTID").contains(clientId).contains(ino + "")
                    .contains("write lock 10..30").contains("rw,sync");
        }
    }

    @Test
    void reloadReportsRefusalWithFileAndLineAndExitsNonZero() throws Exception {
        Files.writeString(exports, tmp.resolve("exp") + " *(rw,frobnicate)\n");

        Run bad = cli("reload", "--admin-socket", socket.toString());

        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains(exports + ":1:").contains("frobnicate");
        Files.writeString(exports, tmp.resolve("exp") + " *(ro,sync,insecure)\n");
        Run good = cli("reload", "--admin-socket", socket.toString());
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(good.out()).contains("changed " + tmp.resolve("exp"));
        assertThat(cli("status", "--admin-socket", socket.toString()).out()).contains("ro,sync");
    }

    @Test
    void aClientWithoutAServerIsToldSoWithItsOwnExitStatus() {
        Run r = cli("status", "--admin-socket", tmp.resolve("nothing-here.sock").toString());

        assertThat(r.exit()).isEqualTo(AdminCommands.UNREACHABLE);
        assertThat(r.err()).contains("cannot reach the server");
    }
}
