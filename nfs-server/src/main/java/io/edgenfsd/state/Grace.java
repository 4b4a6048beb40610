package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The grace period after a restart and the record of who may reclaim in it (RFC 8881 section 8.4.2): the
 * clients the store lists from the previous run may reclaim their opens and locks; everyone else's new opens
 * and locks wait (NFS4ERR_GRACE) until it ends, or until all of them said RECLAIM_COMPLETE. The store is
 * written by its own thread (see {@link ClientStore}); nothing here waits for it.
 */
final class Grace {
    private static final Logger log = LoggerFactory.getLogger(Grace.class);

    private final ClientStore store;
    /** Clients of the previous run that have not yet finished reclaiming. */
    private final Set<String> mayReclaim = ConcurrentHashMap.newKeySet();
    /** Their principals as recorded (owner key to token; absent for records that carry none). */
    private final Map<String, String> previousPrincipals = new ConcurrentHashMap<>();
    private final Set<String> reclaimed = ConcurrentHashMap.newKeySet();
    private volatile long endNanos = System.nanoTime();
    private volatile long lengthNanos;
    private volatile boolean active;
    /**
     * Whether a client has reached us since the start. The period counts from the first EXCHANGE_ID, not
     * from the bind: a slow start (a Pi's JVM warming up after a power cut, measured at 37 s from the bind to
     * the first answer in the power-cut harness under load) must not spend the clients' reclaim time before
     * they can even be answered. Nobody is kept waiting meanwhile: new state needs an EXCHANGE_ID too.
     */
    private volatile boolean answering;

    Grace(ClientStore store) {
        this.store = store;
    }

    synchronized void start(Set<String> previousClients, long seconds) {
        mayReclaim.clear();
        mayReclaim.addAll(previousClients);
        previousPrincipals.clear();
        if (store != null) {
            for (String k : previousClients) {
                String p = store.recordedPrincipal(k);
                if (p != null && !p.isEmpty()) {
                    previousPrincipals.put(k, p);
                }
            }
        }
        if (previousClients.isEmpty() || seconds <= 0) {
            active = false;
            return;
        }
        lengthNanos = TimeUnit.SECONDS.toNanos(seconds);
        endNanos = System.nanoTime() + lengthNanos;
        answering = false;
        active = true;
        log.info("grace period of {} s for {} client(s) of the previous run to reclaim their state", seconds,
                previousClients.size());
    }

    /** An EXCHANGE_ID arrived: the first one since the start makes the period last at least its length from now. */
    void clientArrived() {
        if (!active || answering) {
            return;
        }
        synchronized (this) {
            if (answering || !active) {
                return;
            }
            answering = true;
            long now = System.nanoTime();
            if (now + lengthNanos - endNanos > 0) {
                endNanos = now + lengthNanos;
                log.info("grace period: first client call; it now ends {} s from here", lengthNanos / 1_000_000_000L);
            }
        }
    }

    boolean inGrace() {
        if (active && answering && System.nanoTime() - endNanos >= 0) {
            end("its time is up");
        }
        return active;
    }

    private void end(String why) {
        Set<String> gone;
        synchronized (this) {
            if (!active) {
                return;
            }
            active = false;
            log.info("grace period over: {}", why);
            gone = new HashSet<>(mayReclaim);
            gone.removeAll(reclaimed);
            mayReclaim.clear();
        }
        if (store != null && !gone.isEmpty()) {
            store.removeKeys(gone).whenComplete((v, e) -> warnIfFailed(e));
        }
    }

    void check(ClientRecord c, boolean reclaim) throws NfsException {
        boolean grace = inGrace();
        if (reclaim) {
            if (!grace || c.reclaimComplete) {
                throw new NfsException(NfsStatus.NO_GRACE, "not in a grace period");
            }
            String k = ClientStore.key(c.ownerId());
            if (!mayReclaim.contains(k)) {
                throw new NfsException(NfsStatus.RECLAIM_BAD, "client held no state before the restart");
            }
            if (!c.principal().token().equals(previousPrincipals.getOrDefault(k, c.principal().token()))) {
                throw new NfsException(NfsStatus.RECLAIM_BAD, "the state before the restart was another principal's");
            }
            return;
        }
        if (grace) {
            throw new NfsException(NfsStatus.GRACE, "server is in its grace period");
        }
        // section 18.51.3: a client sends RECLAIM_COMPLETE before its first non-reclaim locking operation,
        // "If non-reclaim locking operations are done before the RECLAIM_COMPLETE, an NFS4ERR_GRACE error
        // will be returned", whether or not the server is in grace (knfsd does the same for OPEN)
        if (!c.reclaimComplete) {
            throw new NfsException(NfsStatus.GRACE, "no RECLAIM_COMPLETE from this client yet");
        }
    }

    /**
     * While a previous-run client may still reclaim, its owner string stays its own: EXCHANGE_ID with it by
     * another principal gets NFS4ERR_CLID_INUSE (as 18.35.4 case 3 would have said before the restart).
     */
    boolean reservedForAnother(byte[] ownerId, Principal caller) {
        if (!active) {
            return false;
        }
        String p = previousPrincipals.get(ClientStore.key(ownerId));
        return p != null && mayReclaim.contains(ClientStore.key(ownerId)) && !p.equals(caller.token());
    }

    /** A client of the previous run that has not yet finished reclaiming (for status reporting). */
    boolean mayStillReclaim(ClientRecord c) {
        String k = ClientStore.key(c.ownerId());
        return mayReclaim.contains(k) && !reclaimed.contains(k);
    }

    void checkNotInGrace() throws NfsException {
        if (inGrace()) {
            throw new NfsException(NfsStatus.GRACE, "server is in its grace period");
        }
    }

    /**
     * RECLAIM_COMPLETE: false when the client already said so. Nothing is written here: the client was
     * recorded when it was confirmed, and those who did not reclaim are dropped from the store at the end.
     */
    boolean reclaimComplete(ClientRecord c) {
        synchronized (c) {
            if (c.reclaimComplete) {
                return false;
            }
            c.reclaimComplete = true;
        }
        String k = ClientStore.key(c.ownerId());
        if (mayReclaim.contains(k)) {
            reclaimed.add(k);
            if (reclaimed.containsAll(mayReclaim)) {
                end("every client of the previous run has reclaimed");
            }
        }
        return true;
    }

    /** A newly confirmed client: durable once the future completes (its caller waits, off the event loop). */
    CompletableFuture<Void> recordConfirmed(ClientRecord c) {
        return store == null ? CompletableFuture.completedFuture(null) : store.add(c.ownerId(), c.principal().token());
    }

    /** A client that is gone for good (not a previous-run client still in its grace period). */
    void forget(ClientRecord c) {
        if (store != null && c.confirmed && !mayReclaim.contains(ClientStore.key(c.ownerId()))) {
            store.remove(c.ownerId()).whenComplete((v, e) -> warnIfFailed(e));
        }
    }

    private static void warnIfFailed(Throwable e) {
        if (e != null) {
            log.warn("cannot update the client record store: {}", e.toString());
        }
    }
}
