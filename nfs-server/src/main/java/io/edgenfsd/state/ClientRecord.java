package io.edgenfsd.state;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A client as EXCHANGE_ID (RFC 8881 section 18.35) knows it: co_ownerid, verifier, and what it holds. */
public final class ClientRecord {
    private final long clientId;
    private final byte[] ownerId;
    private final byte[] verifier;
    final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    final Set<OpenOwner> openOwners = ConcurrentHashMap.newKeySet();
    final Set<LockOwner> lockOwners = ConcurrentHashMap.newKeySet();
    volatile boolean confirmed;
    volatile boolean reclaimComplete;
    volatile boolean expired;
    volatile long lastRenewNanos = System.nanoTime();
    /** CREATE_SESSION replay detection (section 18.36.4): the sequence id expected next. */
    int createSessionSeq = 1;
    byte[] cachedCreateSessionReply;

    ClientRecord(long clientId, byte[] ownerId, byte[] verifier) {
        this.clientId = clientId;
        this.ownerId = ownerId;
        this.verifier = verifier;
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
}
