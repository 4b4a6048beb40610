package io.edgenfsd.ops;

import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One in-process server per test class on a loopback ephemeral port, with exports for every case: rw,
 * a second rw (cross-export), ro, root_squash, all_squash and one visible only to 192.0.2.1. Each test
 * works in its own directory under the rw export, named after the test.
 */
public abstract class ProtocolTestBase {
    @TempDir
    static Path tmp;
    protected static Path base;
    protected static TestServer server;
    protected static NfsSession root;
    private static final List<NfsSession> extra = new ArrayList<>();

    /** Per-test directory (on disk and its filehandle) under the rw export. */
    protected Path dir;
    protected byte[] dirFh;

    @BeforeAll
    static void startServer() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("protocol tests need root (CI runs them as root)").isZero();
        base = tmp.resolve("exp");
        for (String d : new String[] {"rw", "rw2", "ro", "squash", "allsquash", "hidden"}) {
            Files.createDirectories(base.resolve(d));
            Files.setPosixFilePermissions(base.resolve(d), PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(base.resolve("ro/readme"), "read only");
        server = TestServer.start(tmp.resolve("state"), 1 << 20,
                base.resolve("rw") + " *(rw,sync,no_root_squash,insecure)",
                base.resolve("rw2") + " *(rw,sync,no_root_squash,insecure)",
                base.resolve("ro") + " *(ro,sync,no_root_squash,insecure)",
                base.resolve("squash") + " *(rw,sync,root_squash,anonuid=1234,anongid=1234,insecure)",
                base.resolve("allsquash") + " *(rw,sync,all_squash,anonuid=2345,anongid=2345,insecure)",
                base.resolve("hidden") + " 192.0.2.1(rw,sync,no_root_squash,insecure)");
        root = server.session(Cred.root());
    }

    @AfterAll
    static void stopServer() {
        synchronized (extra) {
            extra.forEach(NfsSession::close);
            extra.clear();
        }
        if (root != null) {
            root.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void makeTestDirectory(TestInfo info) throws Exception {
        String name = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
        dir = base.resolve("rw").resolve(name);
        dirFh = root.mkdir(root.lookupPath(export("rw")), name);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** Path of an export as the client names it from the pseudo root. */
    protected static String export(String name) {
        return base.resolve(name).toString();
    }

    /** A further session closed after the class; e.g. a second client or a non-root user. */
    protected static NfsSession session(Cred cred) {
        NfsSession s = server.session(cred);
        synchronized (extra) {
            extra.add(s);
        }
        return s;
    }
}
