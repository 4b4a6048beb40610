package io.edgenfsd.state;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client as EXCHANGE_ID (RFC 8881 section 18.35.4) knows it: co_ownerid, verifier, the principal that
 * made the record, the client id, whether it is confirmed, and what it holds.
 */
public final class ClientRecord {
    private final long clientId;
    private final byte[] ownerId;
    private final byte[] verifier;
    private final Principal principal;
    private final StateProtection protection;
    /** Set once the first refusal of someone else's attempt on this record was logged at WARN. */
    final AtomicBoolean refusalLogged = new AtomicBoolean();
    final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    final Set<OpenOwner> openOwners = ConcurrentHashMap.newKeySet();
    final Set<LockOwner> lockOwners = ConcurrentHashMap.newKeySet();
    /** Its open and lock states that are not yet released. */
    final Set<State> liveStates = ConcurrentHashMap.newKeySet();
    volatile boolean confirmed;
    volatile boolean reclaimComplete;
    volatile boolean expired;
    volatile long lastRenewNanos = System.nanoTime();
    /** CREATE_SESSION replay detection (section 18.36.4): the sequence id expected next. */
    int createSessionSeq = 1;
    byte[] cachedCreateSessionReply;

    ClientRecord(long clientId, byte[] ownerId, byte[] verifier, Principal principal, StateProtection protection) {
        this.clientId = clientId;
        this.ownerId = ownerId;
        this.verifier = verifier;
        this.principal = principal;
        this.protection = protection;
    }

    public Principal principal() {
        return principal;
    }

    public StateProtection protection() {
        return protection;
    }

    public long clientId() {
        return clientId;
    }

    public byte[] ownerId() {
        return ownerId;
    }

    public byte[] verifier() {
        return verifier;
    }

    public boolean confirmed() {
        return confirmed;
    }

    public synchronized int createSessionSeq() {
        return createSessionSeq;
    }

    public boolean reclaimComplete() {
        return reclaimComplete;
    }

    public void renew() {
        lastRenewNanos = System.nanoTime();
    }

    public boolean hasSessions() {
        return !sessions.isEmpty();
    }

    /** Sessions, opens or locks: what EXCHANGE_ID case 3 and DESTROY_CLIENTID must not discard (18.35.4, 18.50.3). */
    boolean hasState() {
        return !sessions.isEmpty() || !liveStates.isEmpty();
    }
}
