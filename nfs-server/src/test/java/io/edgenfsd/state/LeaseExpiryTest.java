package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.FileKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A client that stops renewing its lease loses its opens and locks, so others are not blocked forever. */
class LeaseExpiryTest {
    private static final FileKey FILE = new FileKey(1, 42);

    private static ClientRecord confirmed(StateManager sm, String name) throws NfsException {
        ClientRecord c = sm.exchangeId(name.getBytes(StandardCharsets.UTF_8), new byte[8], false,
                Principal.ANONYMOUS, StateProtection.NONE, null).client();
        sm.createSession(c.clientId(), c.createSessionSeq(), Principal.ANONYMOUS, null, rec -> new byte[0]);
        return c;
    }

    @Test
    void silentClientLosesItsLocksAndOpensAfterTheLeaseAndOthersGetThem() throws Exception {
        StateManager sm = new StateManager(10);
        ClientRecord dead = confirmed(sm, "dead");
        ClientRecord alive = confirmed(sm, "alive");
        OpenState open = sm.open(dead, new OpenOwner(dead.clientId(), new byte[] {1}), FILE, 3, 2);
        LockOwner deadOwner = new LockOwner(dead.clientId(), new byte[] {9});
        sm.lockState(dead, open, deadOwner);
        assertThat(sm.locks().lock(FILE, deadOwner, true, 0, ByteRangeLocks.TO_EOF)).isEmpty();
        LockOwner aliveOwner = new LockOwner(alive.clientId(), new byte[] {7});
        assertThat(sm.locks().conflict(FILE, aliveOwner, true, 0, 10)).isPresent();
        assertThatThrownBy(() -> sm.open(alive, new OpenOwner(alive.clientId(), new byte[] {2}), FILE, 2, 0))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.SHARE_DENIED));

        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(16);
        alive.lastRenewNanos = later; // the live client keeps renewing
        sm.expireIdleClients(later);

        assertThat(sm.locks().conflict(FILE, aliveOwner, true, 0, 10)).isEmpty();
        assertThat(sm.open(alive, new OpenOwner(alive.clientId(), new byte[] {2}), FILE, 2, 0)).isNotNull();
        assertThatThrownBy(() -> sm.client(dead.clientId()))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.STALE_CLIENTID));
        assertThat(sm.client(alive.clientId())).isSameAs(alive);
    }

    @Test
    void clientWithinItsLeaseKeepsItsState() throws Exception {
        StateManager sm = new StateManager(10);
        ClientRecord c = confirmed(sm, "renewing");
        sm.open(c, new OpenOwner(c.clientId(), new byte[] {1}), FILE, 1, 0);
        sm.expireIdleClients(System.nanoTime() + TimeUnit.SECONDS.toNanos(14));
        assertThat(sm.client(c.clientId())).isSameAs(c);
    }
}
