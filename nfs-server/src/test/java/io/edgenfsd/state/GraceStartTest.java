package io.edgenfsd.state;

import io.edgenfsd.rpc.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grace period (RFC 8881 section 8.4.2) counts from the first client call after a restart, not from the
 * bind: a server slow to answer its first call must not spend its clients' reclaim time.
 */
class GraceStartTest {
    private static final Principal NODE = new Principal(Credentials.AUTH_SYS, "node-a", 0, 0);

    @Test
    void graceDoesNotRunOutBeforeAnyClientCalledAndLastsItsLengthFromTheFirstCall(@TempDir Path dir)
            throws Exception {
        byte[] owner = "previous-client".getBytes(StandardCharsets.UTF_8);
        ClientStore beforeStore = new ClientStore(dir);
        StateManager before = new StateManager(90, beforeStore);
        ClientRecord c = before.exchangeId(owner, new byte[8], false, NODE, StateProtection.NONE, null).client();
        before.createSession(c.clientId(), c.createSessionSeq(), NODE, null, rec -> new byte[0]);
        beforeStore.close(); // the record is on disk before the "restart" reads it

        ClientStore store = new ClientStore(dir);
        StateManager sm = new StateManager(90, store);
        sm.startGrace(store.load(), 1);
        Thread.sleep(1300); // longer than the period, and nobody has called yet
        assertThat(sm.inGrace()).as("still in grace: no client could have reclaimed").isTrue();
        long first = System.nanoTime();
        sm.exchangeId("someone-new".getBytes(StandardCharsets.UTF_8), new byte[8], false, NODE,
                StateProtection.NONE, null);
        boolean stillInGrace = sm.inGrace();
        if (System.nanoTime() - first < 900_000_000L) { // a stalled test thread cannot tell
            assertThat(stillInGrace).as("the period restarts from the first call").isTrue();
        }
        Thread.sleep(1300);
        try {
            assertThat(sm.inGrace()).as("over one period after the first call").isFalse();
        } finally {
            store.close(); // the end of grace rewrites the record file: let it finish before @TempDir goes
        }
    }
}
