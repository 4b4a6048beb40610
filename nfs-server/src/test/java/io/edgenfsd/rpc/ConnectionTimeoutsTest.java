package io.edgenfsd.rpc;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.RawSocket;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.server.ServerConfig;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Idle connections and records that never finish arriving are closed on time (here: after 1 second). */
class ConnectionTimeoutsTest {
    static final Duration IDLE = Duration.ofSeconds(1);
    static final Duration RECORD = Duration.ofSeconds(1);

    @TempDir
    static Path tmp;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path exp = tmp.resolve("exp");
        Files.createDirectories(exp);
        server = TestServer.start(tmp.resolve("state"), 1 << 20, ServerConfig.Limits.defaults().withTimeouts(IDLE,
                RECORD), exp + " *(rw,sync,no_root_squash,insecure)");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTime() {
        try (RawSocket idle = RawSocket.connect(server.address(), 65536)) {
            long start = System.nanoTime();
            assertThat(idle.awaitClosedByServer(5_000)).isTrue();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).isBetween(IDLE.toMillis() - 100, IDLE.toMillis() + 2_000);
        }
    }

    @Test
    void aRecordTricklingInByteByByteIsClosedAfterTheRecordTimeThoughBytesKeepComing() throws Exception {
        try (RawSocket slow = RawSocket.connect(server.address(), 65536)) {
            slow.sendRaw(new byte[] {(byte) 0x80, 0, 0, 100}); // a 100-byte record follows
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 40 && !closed; i++) { // one byte each 150 ms: never idle, never complete
                try {
                    slow.sendRaw(new byte[] {1});
                } catch (java.io.UncheckedIOException e) {
                    closed = true;
                    break;
                }
                closed = slow.awaitClosedByServer(150);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).isTrue();
            assertThat(ms).isBetween(RECORD.toMillis() - 100, RECORD.toMillis() + 2_000);
        }
    }

    @Test
    void anIdleConnectionOfALiveSessionStaysOpenAndIsClosedOnceTheSessionIsGone() throws Exception {
        try (NfsSession s = server.session(Cred.root())) {
            Thread.sleep(IDLE.toMillis() * 5 / 2);
            assertThat(s.rpc().closedFuture().isDone()).as("closed while its session lives").isFalse();
            assertThat(s.compound(c -> c.putrootfh()).status()).isEqualTo(NfsStatus.OK);
            // without its session (destroyed here; an expired lease takes the same way) it is just idle
            assertThat(s.send(new Compound().destroySession(s.sessionId())).status()).isEqualTo(NfsStatus.OK);
            assertThat(s.rpc().awaitClosed(IDLE.toMillis() + 3_000)).isTrue();
        }
    }
}
