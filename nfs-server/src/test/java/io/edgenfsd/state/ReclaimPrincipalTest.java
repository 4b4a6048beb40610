package io.edgenfsd.state;

import io.edgenfsd.rpc.Credentials;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The record store keeps each client's principal (RFC 8881 section 2.10.6.5), so after a restart only that
 * principal may present the client's owner string while it may still reclaim, and reclaim its state.
 */
class ReclaimPrincipalTest {
    private static final byte[] OWNER = "node-a-client".getBytes(StandardCharsets.UTF_8);
    private static final Principal NODE_A = new Principal(Credentials.AUTH_SYS, "node-a", 0, 0);
    private static final Principal NODE_B = new Principal(Credentials.AUTH_SYS, "node-b", 0, 0);

    private static ClientRecord confirmed(StateManager sm, Principal p) throws NfsException {
        ClientRecord c = sm.exchangeId(OWNER, new byte[8], false, p, StateProtection.NONE, null).client();
        sm.createSession(c.clientId(), c.createSessionSeq(), p, null, rec -> new byte[0]);
        return c;
    }

    private static StateManager restarted(Path dir) throws Exception {
        ClientStore store = new ClientStore(dir);
        StateManager sm = new StateManager(90, store);
        sm.startGrace(store.load(), 60);
        return sm;
    }

    @Test
    void afterARestartOnlyTheRecordedPrincipalMayUseTheOwnerAndReclaim(@TempDir Path dir) throws Exception {
        confirmed(new StateManager(90, new ClientStore(dir)), NODE_A); // waits until the record is durable
        assertThat(Files.readString(dir.resolve("clients"))).contains(NODE_A.token());

        StateManager sm = restarted(dir);
        assertThatThrownBy(() -> sm.exchangeId(OWNER, new byte[8], false, NODE_B, StateProtection.NONE, null))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.CLID_INUSE));
        ClientRecord back = confirmed(sm, NODE_A);
        sm.checkGrace(back, true); // may reclaim
        assertThat(sm.inGrace()).isTrue();
    }

    @Test
    void aRecordWithoutAPrincipalFromAnOlderVersionMayBeReclaimedByAnyone(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("clients"), List.of(ClientStore.key(OWNER)));
        StateManager sm = restarted(dir);
        ClientRecord c = confirmed(sm, NODE_B);
        sm.checkGrace(c, true);
        assertThat(new ClientStore(dir).load()).isEqualTo(Set.of(ClientStore.key(OWNER)));
    }
}
