package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.FileKey;
import io.edgenfsd.xdr.OpaqueKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Clients, sessions, opens and locks (RFC 8881 chapters 2.10, 8, 9, 18.35-18.37). Ids embed this server
 * instance's boot time so ids from before a restart are recognised as stale rather than misread.
 */
public final class StateManager {
    private static final Logger log = LoggerFactory.getLogger(StateManager.class);

    public static final int MAX_SLOTS = 64;

    private final int bootEpoch;
    private final byte[] bootVerifier;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong counter = new AtomicLong();
    private final int leaseSeconds;

    private final Map<Long, ClientRecord> clients = new ConcurrentHashMap<>();
    private final Map<String, ClientRecord> clientsByOwner = new ConcurrentHashMap<>();
    private final Map<OpaqueKey, Session> sessions = new ConcurrentHashMap<>();
    private final Map<OpaqueKey, State> states = new ConcurrentHashMap<>();
    private final ByteRangeLocks locks = new ByteRangeLocks();
    private volatile Consumer<OpenState> onOpenReleased = s -> { };

    private final ClientStore store;
    /** Clients of the previous run that have not yet finished reclaiming (section 8.4.2). */
    private final Set<String> mayReclaim = ConcurrentHashMap.newKeySet();
    private final Set<String> reclaimed = ConcurrentHashMap.newKeySet();

    public StateManager(int leaseSeconds) {
        this(leaseSeconds, null);
    }

    public StateManager(int leaseSeconds, ClientStore store) {
        this.leaseSeconds = leaseSeconds;
        this.store = store;
        long now = System.currentTimeMillis();
        this.bootEpoch = (int) (now / 1000);
        this.bootVerifier = ByteBuffer.allocate(8).putLong(System.nanoTime() ^ now).array();
    }

    public int leaseSeconds() {
        return leaseSeconds;
    }

    /** Changes on every server start: the write verifier (section 18.32.3) and the server owner's minor id. */
    public byte[] bootVerifier() {
        return Arrays.copyOf(bootVerifier, bootVerifier.length);
    }

    public void onOpenReleased(Consumer<OpenState> c) {
        onOpenReleased = c;
    }

    private static String key(byte[] b) {
        return Base64Key.of(b);
    }

    // ----- clients (EXCHANGE_ID, section 18.35.5) -----

    public record ExchangeResult(ClientRecord client, boolean confirmed) {
    }

    public synchronized ExchangeResult exchangeId(byte[] ownerId, byte[] verifier, boolean updateOnly)
            throws NfsException {
        String k = key(ownerId);
        ClientRecord existing = clientsByOwner.get(k);
        if (updateOnly) {
            if (existing == null) {
                throw new NfsException(NfsStatus.NOENT, "update of unknown client");
            }
            if (!Arrays.equals(existing.verifier(), verifier)) {
                throw new NfsException(NfsStatus.NOT_SAME, "verifier differs on update");
            }
            return new ExchangeResult(existing, existing.confirmed);
        }
        if (existing != null && !existing.expired) {
            if (Arrays.equals(existing.verifier(), verifier)) {
                existing.renew();
                return new ExchangeResult(existing, existing.confirmed);
            }
            // The client rebooted (new verifier): its old state is of no further use to it.
            log.info("client {} restarted; dropping its previous state", printable(ownerId));
            expire(existing, false);
        } else if (existing != null) {
            expire(existing);
        }
        long id = ((long) bootEpoch << 32) | (counter.incrementAndGet() & 0xFFFFFFFFL);
        ClientRecord rec = new ClientRecord(id, Arrays.copyOf(ownerId, ownerId.length), Arrays.copyOf(verifier, verifier.length));
        clients.put(id, rec);
        clientsByOwner.put(k, rec);
        return new ExchangeResult(rec, false);
    }

    public ClientRecord client(long clientId) throws NfsException {
        ClientRecord c = clients.get(clientId);
        if (c == null || c.expired) {
            throw new NfsException(NfsStatus.STALE_CLIENTID, "unknown client id " + Long.toHexString(clientId));
        }
        return c;
    }

    public synchronized void destroyClient(long clientId) throws NfsException {
        ClientRecord c = client(clientId);
        if (c.hasSessions()) {
            throw new NfsException(NfsStatus.CLIENTID_BUSY, "client still has sessions");
        }
        expire(c);
    }

    /** Marks the client's reclaims done; false when it already said so (NFS4ERR_COMPLETE_ALREADY). */
    public boolean reclaimComplete(ClientRecord c) {
        synchronized (c) {
            if (c.reclaimComplete) {
                return false;
            }
            c.reclaimComplete = true;
        }
        String k = key(c.ownerId());
        if (mayReclaim.contains(k)) {
            reclaimed.add(k);
            if (reclaimed.containsAll(mayReclaim)) {
                endGrace("every client of the previous run has reclaimed");
            }
        }
        return true;
    }

    // ----- grace period (section 8.4.2) -----

    private volatile long graceEndNanos = System.nanoTime();
    private volatile boolean graceActive;

    /**
     * Starts a grace period for the clients of the previous run: they may reclaim opens and locks, and
     * everyone else's new opens and locks wait (NFS4ERR_GRACE) until it ends, or until all of them said
     * RECLAIM_COMPLETE.
     */
    public synchronized void startGrace(Set<String> previousClients, long seconds) {
        mayReclaim.clear();
        mayReclaim.addAll(previousClients);
        if (previousClients.isEmpty() || seconds <= 0) {
            graceActive = false;
            return;
        }
        graceEndNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        graceActive = true;
        log.info("grace period of {} s for {} client(s) of the previous run to reclaim their state", seconds,
                previousClients.size());
    }

    public boolean inGrace() {
        if (graceActive && System.nanoTime() - graceEndNanos >= 0) {
            endGrace("its time is up");
        }
        return graceActive;
    }

    private synchronized void endGrace(String why) {
        if (!graceActive) {
            return;
        }
        graceActive = false;
        log.info("grace period over: {}", why);
        Set<String> gone = new java.util.HashSet<>(mayReclaim);
        gone.removeAll(reclaimed);
        mayReclaim.clear();
        if (store != null && !gone.isEmpty()) {
            try {
                for (String k : gone) {
                    store.remove(Base64.getDecoder().decode(k));
                }
            } catch (java.io.IOException e) {
                log.warn("cannot update the client record store: {}", e.getMessage());
            }
        }
    }

    /** Reclaims only in grace and only by clients of the previous run; new opens and locks only outside it. */
    public void checkGrace(ClientRecord c, boolean reclaim) throws NfsException {
        boolean grace = inGrace();
        if (reclaim) {
            if (!grace || c.reclaimComplete) {
                throw new NfsException(NfsStatus.NO_GRACE, "not in a grace period");
            }
            if (!mayReclaim.contains(key(c.ownerId()))) {
                throw new NfsException(NfsStatus.RECLAIM_BAD, "client held no state before the restart");
            }
            return;
        }
        if (grace) {
            throw new NfsException(NfsStatus.GRACE, "server is in its grace period");
        }
    }

    /** REMOVE and RENAME wait during grace, as knfsd does, so they cannot break a reclaim. */
    public void checkNotInGrace() throws NfsException {
        if (inGrace()) {
            throw new NfsException(NfsStatus.GRACE, "server is in its grace period");
        }
    }

    // ----- sessions (CREATE_SESSION, section 18.36) -----

    public interface CreateSessionCall {
        byte[] run(ClientRecord client) throws NfsException;
    }

    /**
     * Runs CREATE_SESSION with its own replay rule: the client record carries the expected sequence id,
     * and a retransmission of the previous one gets the previous reply.
     */
    public byte[] createSession(long clientId, int seq, CreateSessionCall body) throws NfsException {
        ClientRecord c = client(clientId);
        synchronized (c) {
            if (seq == c.createSessionSeq - 1 && c.cachedCreateSessionReply != null) {
                return c.cachedCreateSessionReply;
            }
            if (seq != c.createSessionSeq) {
                throw new NfsException(NfsStatus.SEQ_MISORDERED, "create_session seq " + seq + " expected "
                        + c.createSessionSeq);
            }
            byte[] reply = body.run(c);
            c.cachedCreateSessionReply = reply;
            c.createSessionSeq++;
            if (!c.confirmed && store != null) {
                try {
                    store.add(c.ownerId());
                } catch (java.io.IOException e) {
                    log.warn("cannot record client for reclaim after a restart: {}", e.getMessage());
                }
            }
            c.confirmed = true;
            c.renew();
            return reply;
        }
    }

    public Session newSession(ClientRecord client, ChannelAttrs fore, ChannelAttrs back, int cbProgram,
                              CallbackSecurity cbSec) {
        byte[] id = new byte[16];
        ByteBuffer.wrap(id).putInt(bootEpoch).putLong(client.clientId());
        byte[] rnd = new byte[4];
        random.nextBytes(rnd);
        System.arraycopy(rnd, 0, id, 12, 4);
        Session s = new Session(id, client, fore, back, cbProgram, cbSec);
        sessions.put(new OpaqueKey(id), s);
        client.sessions.add(s);
        return s;
    }

    public Session session(byte[] id) throws NfsException {
        Session s = sessions.get(new OpaqueKey(id));
        if (s == null || s.destroyed() || s.client().expired) {
            throw new NfsException(NfsStatus.BADSESSION, "unknown session");
        }
        return s;
    }

    public void destroySession(Session s) {
        s.destroy();
        sessions.remove(new OpaqueKey(s.id()));
        s.client().sessions.remove(s);
    }

    public List<Session> sessionsOf(ClientRecord c) {
        return new ArrayList<>(c.sessions);
    }

    // ----- SEQUENCE slot handling (section 2.10.6.1) -----

    public sealed interface SlotDecision permits Execute, Replay {
    }

    public record Execute(Slot slot) implements SlotDecision {
    }

    public record Replay(byte[] cachedReply) implements SlotDecision {
    }

    public SlotDecision enterSlot(Session s, int slotId, int seq) throws NfsException {
        if (slotId < 0 || slotId >= s.slotCount()) {
            throw new NfsException(NfsStatus.BADSLOT, "slot " + slotId + " of " + s.slotCount());
        }
        Slot slot = s.slot(slotId);
        synchronized (slot) {
            if (seq == slot.seqid) {
                if (slot.inProgress) {
                    throw new NfsException(NfsStatus.DELAY, "retransmission of a request in progress");
                }
                if (slot.cachedReply == null) {
                    throw new NfsException(NfsStatus.RETRY_UNCACHED_REP, "reply was not cached");
                }
                return new Replay(slot.cachedReply);
            }
            if (seq != slot.seqid + 1) {
                throw new NfsException(NfsStatus.SEQ_MISORDERED, "slot " + slotId + " seq " + seq
                        + " after " + slot.seqid);
            }
            if (slot.inProgress) {
                throw new NfsException(NfsStatus.DELAY, "slot busy");
            }
            slot.seqid = seq;
            slot.inProgress = true;
            slot.cachedReply = null;
            return new Execute(slot);
        }
    }

    public void leaveSlot(Slot slot, byte[] replyOrNull) {
        synchronized (slot) {
            slot.cachedReply = replyOrNull;
            slot.inProgress = false;
        }
    }

    // ----- opens (section 9.7, 18.16) -----

    public static int shareConflict(List<OpenState> others, int access, int deny) {
        for (OpenState o : others) {
            if ((o.deny & access) != 0 || (o.access & deny) != 0) {
                return 1;
            }
        }
        return 0;
    }

    public synchronized OpenState open(ClientRecord client, OpenOwner owner, FileKey file, int access, int deny)
            throws NfsException {
        List<OpenState> others = new ArrayList<>();
        OpenState mine = null;
        for (State st : states.values()) {
            if (st instanceof OpenState o && !o.closed && o.file.equals(file)) {
                if (o.owner.equals(owner)) {
                    mine = o;
                } else {
                    others.add(o);
                }
            }
        }
        if (shareConflict(others, access, deny) != 0) {
            throw new NfsException(NfsStatus.SHARE_DENIED, "share reservation conflict");
        }
        if (mine != null) {
            synchronized (mine) {
                mine.access |= access;
                mine.deny |= deny;
                mine.accessHistory |= access;
                mine.denyHistory |= deny;
                mine.bump();
            }
            return mine;
        }
        OpenState o = new OpenState(newOther(), client, file, owner);
        o.access = access;
        o.deny = deny;
        o.accessHistory = access;
        o.denyHistory = deny;
        states.put(new OpaqueKey(o.other), o);
        client.openOwners.add(owner);
        return o;
    }

    /** The opens of {@code file} now, of every client (for the delegation checks of OPEN). */
    public synchronized List<OpenState> opensOf(FileKey file) {
        List<OpenState> l = new ArrayList<>();
        for (State st : states.values()) {
            if (st instanceof OpenState o && !o.closed && o.file.equals(file)) {
                l.add(o);
            }
        }
        return l;
    }

    public synchronized StateId downgrade(OpenState o, int access, int deny) throws NfsException {
        synchronized (o) {
            if ((access & ~o.access) != 0 || (deny & ~o.deny) != 0 || access == 0) {
                throw new NfsException(NfsStatus.INVAL, "downgrade is not a subset");
            }
            o.access = access;
            o.deny = deny;
            return o.bump();
        }
    }

    public synchronized StateId close(OpenState o) throws NfsException {
        for (State st : states.values()) {
            if (st instanceof LockState l && l.open == o && !l.closed && locks.holdsAny(l.file, l.owner)) {
                throw new NfsException(NfsStatus.LOCKS_HELD, "locks still held");
            }
        }
        StateId result = o.bump();
        release(o);
        return result;
    }

    private void release(OpenState o) {
        o.closed = true;
        states.remove(new OpaqueKey(o.other));
        for (State st : new ArrayList<>(states.values())) {
            if (st instanceof LockState l && l.open == o) {
                locks.releaseAll(l.file, l.owner);
                l.closed = true;
                states.remove(new OpaqueKey(l.other));
            }
        }
        onOpenReleased.accept(o);
    }

    // ----- stateid lookup (section 8.2) -----

    /** Finds the state a non-special stateid names, checking seqid and ownership. */
    public State find(StateId id, ClientRecord client) throws NfsException {
        byte[] other = id.other();
        if (ByteBuffer.wrap(other).getInt() != bootEpoch) {
            throw new NfsException(NfsStatus.STALE_STATEID, "stateid from before a restart");
        }
        State st = states.get(new OpaqueKey(other));
        if (st == null || st.closed || st.client != client) {
            throw new NfsException(NfsStatus.BAD_STATEID, "unknown stateid " + id);
        }
        synchronized (st) {
            if (id.seqid() != 0) {
                if (Integer.compareUnsigned(id.seqid(), st.seqid) > 0) {
                    throw new NfsException(NfsStatus.BAD_STATEID, "stateid seqid from the future");
                }
                if (id.seqid() != st.seqid) {
                    throw new NfsException(NfsStatus.OLD_STATEID, "old stateid seqid");
                }
            }
        }
        return st;
    }

    public NfsStatus test(StateId id, ClientRecord client) {
        if (id.isSpecial()) {
            return NfsStatus.BAD_STATEID;
        }
        try {
            find(id, client);
            return NfsStatus.OK;
        } catch (NfsException e) {
            return e.status();
        }
    }

    /**
     * FREE_STATEID (section 18.38). The seqid must be current: a client that let go of a lock stateid and
     * then, through a new lock owner request, got the same state back (we keep one lock state per owner
     * and open) must not have its late FREE_STATEID of the old incarnation free the live one.
     */
    public synchronized void free(StateId id, ClientRecord client) throws NfsException {
        State st = find(id, client);
        if (st instanceof OpenState) {
            throw new NfsException(NfsStatus.LOCKS_HELD, "FREE_STATEID of an open stateid");
        }
        LockState l = (LockState) st;
        if (locks.holdsAny(l.file, l.owner)) {
            throw new NfsException(NfsStatus.LOCKS_HELD, "lock stateid still holds locks");
        }
        l.closed = true;
        states.remove(new OpaqueKey(l.other));
    }

    // ----- byte-range locks (section 18.10-18.12) -----

    public synchronized LockState lockState(ClientRecord client, OpenState open, LockOwner owner) {
        for (State st : states.values()) {
            if (st instanceof LockState l && !l.closed && l.open == open && l.owner.equals(owner)) {
                return l;
            }
        }
        LockState l = new LockState(newOther(), client, open.file, owner, open);
        l.seqid = 0;
        states.put(new OpaqueKey(l.other), l);
        client.lockOwners.add(owner);
        return l;
    }

    public ByteRangeLocks locks() {
        return locks;
    }

    /** A granted lock's new stateid, or the lock that conflicts with the request. */
    public record LockResult(StateId granted, ByteRangeLocks.Lock conflict) {
    }

    /**
     * LOCK as one step under the state lock: find or make the lock state, take the range, bump the seqid.
     * A FREE_STATEID racing with it sees either the state before (and frees it, so a new one is made here)
     * or after (with a newer seqid: OLD_STATEID), never a state that is about to gain a lock.
     */
    public synchronized LockResult lock(ClientRecord client, OpenState open, LockOwner newOwner, LockState existing,
                                        boolean write, long start, long end) throws NfsException {
        LockState ls = existing != null ? existing : lockState(client, open, newOwner);
        if (ls.closed) {
            throw new NfsException(NfsStatus.BAD_STATEID, "lock stateid was freed");
        }
        Optional<ByteRangeLocks.Lock> conflict = locks.lock(ls.file, ls.owner, write, start, end);
        if (conflict.isPresent()) {
            return new LockResult(null, conflict.get());
        }
        return new LockResult(ls.bump(), null);
    }

    /** LOCKU under the state lock (see {@link #lock}). */
    public synchronized StateId unlock(LockState ls, long start, long end) throws NfsException {
        if (ls.closed) {
            throw new NfsException(NfsStatus.BAD_STATEID, "lock stateid was freed");
        }
        locks.unlock(ls.file, ls.owner, start, end);
        return ls.bump();
    }

    // ----- leases -----

    public void startLeaseReaper(java.util.concurrent.ScheduledExecutorService timer) {
        timer.scheduleAtFixedRate(this::expireIdleClients, 5, 5, TimeUnit.SECONDS);
    }

    void expireIdleClients() {
        expireIdleClients(System.nanoTime());
    }

    /** Expires clients silent for a lease plus 5 s of slack for network delay (section 8.3). */
    synchronized void expireIdleClients(long now) {
        long limit = TimeUnit.SECONDS.toNanos(leaseSeconds) + TimeUnit.SECONDS.toNanos(5);
        for (ClientRecord c : new ArrayList<>(clients.values())) {
            if (now - c.lastRenewNanos > limit) {
                log.info("lease of client {} expired; releasing its opens and locks", printable(c.ownerId()));
                expire(c);
            }
        }
    }

    private void expire(ClientRecord c) {
        expire(c, true);
    }

    private void expire(ClientRecord c, boolean forget) {
        c.expired = true;
        if (forget && store != null && c.confirmed && !mayReclaim.contains(key(c.ownerId()))) {
            try {
                store.remove(c.ownerId());
            } catch (java.io.IOException e) {
                log.warn("cannot update the client record store: {}", e.getMessage());
            }
        }
        clients.remove(c.clientId());
        clientsByOwner.remove(key(c.ownerId()), c);
        for (Session s : new ArrayList<>(c.sessions)) {
            destroySession(s);
        }
        for (State st : new ArrayList<>(states.values())) {
            if (st.client == c) {
                if (st instanceof OpenState o) {
                    release(o);
                } else if (st instanceof LockState l) {
                    locks.releaseAll(l.file, l.owner);
                    l.closed = true;
                    states.remove(new OpaqueKey(l.other));
                }
            }
        }
    }

    public Optional<ClientRecord> findClient(long id) {
        return Optional.ofNullable(clients.get(id));
    }

    private byte[] newOther() {
        return ByteBuffer.allocate(12).putInt(bootEpoch).putLong(counter.incrementAndGet()).array();
    }

    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(x >= 32 && x < 127 ? (char) x : '.');
        }
        return sb.toString();
    }
}
