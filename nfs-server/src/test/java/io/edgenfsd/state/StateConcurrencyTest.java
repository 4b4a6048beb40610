package io.edgenfsd.state;

import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.FileKey;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Races between state operations that the per-client and per-file locking must close (issue 13), and the
 * promise that expiring many leases does not hold up anyone else's OPEN.
 */
class StateConcurrencyTest {
    private static final int ROUNDS = 200;
    private static final ChannelAttrs ATTRS = new ChannelAttrs(0, 4096, 4096, 0, 8, 1);

    private static ClientRecord confirmed(StateManager sm, String name) throws NfsException {
        ClientRecord c = sm.exchangeId(name.getBytes(StandardCharsets.UTF_8), new byte[8], false,
                Principal.ANONYMOUS, StateProtection.NONE, null).client();
        sm.createSession(c.clientId(), c.createSessionSeq(), Principal.ANONYMOUS, null, rec -> new byte[0]);
        return c;
    }

    /** Runs both at once (released by one barrier) and returns each one's status. */
    private static NfsStatus[] race(ExecutorService pool, Callable<?> a, Callable<?> b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<NfsStatus> fa = pool.submit(() -> statusOf(start, a));
        Future<NfsStatus> fb = pool.submit(() -> statusOf(start, b));
        return new NfsStatus[] {fa.get(10, TimeUnit.SECONDS), fb.get(10, TimeUnit.SECONDS)};
    }

    private static NfsStatus statusOf(CyclicBarrier start, Callable<?> op) throws Exception {
        start.await(10, TimeUnit.SECONDS);
        try {
            op.call();
            return NfsStatus.OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    @Test
    @Timeout(60)
    void ofTwoConcurrentClosesOfOneStateidOnlyOneSucceeds() throws Exception {
        StateManager sm = new StateManager(90);
        ClientRecord c = confirmed(sm, "closer");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < ROUNDS; i++) {
                OpenState o = sm.open(c, new OpenOwner(c.clientId(), new byte[] {1}), new FileKey(7, i), 3, 0);
                NfsStatus[] r = race(pool, () -> sm.close(o), () -> sm.close(o));
                assertThat(r).as("round " + i).containsExactlyInAnyOrder(NfsStatus.OK, NfsStatus.BAD_STATEID);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lockOnAnOpenThatACloseReleasedAfterItWasFoundAnswersBadStateidAndTakesNoRange() throws Exception {
        StateManager sm = new StateManager(90);
        ClientRecord c = confirmed(sm, "locker");
        FileKey file = new FileKey(7, 1);
        OpenState o = sm.open(c, new OpenOwner(c.clientId(), new byte[] {1}), file, 3, 0);
        State found = sm.find(o.stateId(), c); // LOCK found the open (outside any lock) ...
        sm.close(o); // ... and a CLOSE released it before LOCK went on
        LockOwner owner = new LockOwner(c.clientId(), new byte[] {9});
        assertThatThrownBy(() -> sm.lock(c, (OpenState) found, owner, null, true, 0, 10))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.BAD_STATEID));
        assertThat(sm.locks().holdsAny(file, owner)).isFalse();
        assertThat(sm.counts().lockStates()).isZero();
        assertThatThrownBy(() -> sm.downgrade(o, 1, 0))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.status()).isEqualTo(NfsStatus.BAD_STATEID));
    }

    @Test
    @Timeout(60)
    void aLockRacingACloseEitherKeepsTheOpenOrTakesNoRange() throws Exception {
        StateManager sm = new StateManager(90);
        ClientRecord c = confirmed(sm, "racer");
        LockOwner owner = new LockOwner(c.clientId(), new byte[] {9});
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < ROUNDS; i++) {
                FileKey file = new FileKey(8, i);
                OpenState o = sm.open(c, new OpenOwner(c.clientId(), new byte[] {1}), file, 3, 0);
                NfsStatus[] r = race(pool, () -> sm.close(o), () -> sm.lock(c, o, owner, null, true, 0, 10));
                if (r[0] == NfsStatus.OK) {
                    assertThat(r[1]).as("round " + i + ": LOCK after the CLOSE").isEqualTo(NfsStatus.BAD_STATEID);
                    assertThat(sm.locks().holdsAny(file, owner)).as("round " + i + ": no range on a closed open")
                            .isFalse();
                } else {
                    assertThat(r).as("round " + i + ": CLOSE after the LOCK")
                            .containsExactly(NfsStatus.LOCKS_HELD, NfsStatus.OK);
                    assertThat(sm.locks().holdsAny(file, owner)).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSessionKeepsOnlyTheConnectionsThatAreStillOpen() throws Exception {
        StateManager sm = new StateManager(90);
        Session s = sm.newSession(confirmed(sm, "reconnecting"), ATTRS, ATTRS, 0, CallbackSecurity.NONE);
        EmbeddedChannel live = new EmbeddedChannel();
        RpcConnection kept = new RpcConnection(live);
        s.bindFore(kept);
        for (int i = 0; i < 1_000; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            s.bindFore(new RpcConnection(ch));
            ch.close();
        }
        assertThat(s.boundConnections()).as("the live one and at most the last closed one").isLessThanOrEqualTo(2);
        assertThat(s.isBound(kept)).isTrue();
        live.close();
    }

    /** The worst OPEN+CLOSE over two seconds with nothing else going on: what the machine itself adds. */
    private static long worstOpenClose(StateManager sm, ClientRecord c, long dev) throws NfsException {
        long worst = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            sm.close(sm.open(c, new OpenOwner(c.clientId(), new byte[] {3}), new FileKey(dev, i), 3, 0));
            worst = Math.max(worst, System.nanoTime() - t0);
        }
        return worst;
    }

    /**
     * 3,000 leases expire while another client OPENs and CLOSEs in a loop. A build machine shared by many
     * jobs deschedules a thread for 100 ms and more now and then, whatever it runs; so each attempt measures
     * the delay beyond the worst OPEN+CLOSE seen with no expiry around it, and up to three attempts are made.
     * An OPEN that waits for the expiry itself (the one-monitor design: 90 s on this machine) fails all three.
     */
    @Test
    @Timeout(300)
    void threeThousandLeasesExpiringAtOnceDelayAConcurrentOpenByLessThan100ms() throws Exception {
        List<Long> delays = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            long delay = expiryDelayMillis(3_000);
            delays.add(delay);
            if (delay < 100) {
                break;
            }
        }
        assertThat(delays.get(delays.size() - 1)).as("delay of the worst OPEN+CLOSE during the expiry of 3,000 "
                + "leases, beyond the machine's own stalls, per attempt: " + delays).isLessThan(100);
    }

    private static long expiryDelayMillis(int n) throws Exception {
        // on disk (not tmpfs): every rewrite of the record store is a real fsync
        Path stateDir = Files.createDirectories(Path.of("target", "lease-expiry-" + System.nanoTime()));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(ClientStore.key(("dead-" + i).getBytes(StandardCharsets.UTF_8)) + " "
                    + Principal.ANONYMOUS.token());
        }
        lines.add(ClientStore.key("alive".getBytes(StandardCharsets.UTF_8)) + " " + Principal.ANONYMOUS.token());
        Files.write(stateDir.resolve("clients"), lines);
        ClientStore store = new ClientStore(stateDir);
        store.load(); // recorded already, so confirming them here writes nothing
        StateManager sm = new StateManager(10, store);
        List<ClientRecord> dead = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ClientRecord c = confirmed(sm, "dead-" + i);
            sm.open(c, new OpenOwner(c.clientId(), new byte[] {1}), new FileKey(9, i), 3, 0);
            dead.add(c);
        }
        ClientRecord alive = confirmed(sm, "alive");
        long longAgo = System.nanoTime() - TimeUnit.SECONDS.toNanos(60);
        dead.forEach(c -> c.lastRenewNanos = longAgo);

        long noise = worstOpenClose(sm, alive, 11);
        System.gc(); // the setup's garbage is not the expiry's doing
        AtomicBoolean done = new AtomicBoolean();
        Thread reaper = new Thread(() -> {
            sm.expireIdleClients();
            done.set(true);
        }, "test-reaper");
        long worst = 0;
        int opens = 0;
        List<Long> took = new ArrayList<>();
        reaper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.get() && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            OpenState o = sm.open(alive, new OpenOwner(alive.clientId(), new byte[] {2}), new FileKey(10, opens), 3, 0);
            sm.close(o);
            long t = System.nanoTime() - t0;
            worst = Math.max(worst, t);
            took.add(t);
            opens++;
        }
        reaper.join(TimeUnit.SECONDS.toMillis(60));
        noise = Math.max(noise, worstOpenClose(sm, alive, 12));
        took.sort(null);
        System.out.printf("lease expiry of %d clients: %d OPEN+CLOSE meanwhile, median %.3f ms, worst %.1f ms; "
                + "worst without expiry %.1f ms%n", n, opens, took.isEmpty() ? 0 : took.get(took.size() / 2) / 1e6,
                worst / 1e6, noise / 1e6);
        assertThat(done).as("expiry finished").isTrue();
        assertThat(sm.counts().clients()).isEqualTo(1);
        assertThat(sm.counts().opens()).isZero();
        assertThat(opens).as("OPENs ran while the leases expired").isPositive();
        // the store's writer drops them all, in a few coalesced rewrites
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.size() != 1 || Files.readAllLines(stateDir.resolve("clients")).stream()
                .filter(l -> !l.isBlank()).count() != 1) {
            assertThat(System.nanoTime()).as("record store rewritten").isLessThan(until);
            Thread.sleep(20);
        }
        return TimeUnit.NANOSECONDS.toMillis(worst - noise);
    }
}
