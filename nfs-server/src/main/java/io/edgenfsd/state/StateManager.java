package io.edgenfsd.state;

import io.edgenfsd.rpc.Credentials;
import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.FileKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Clients, sessions, opens and locks (RFC 8881 chapters 2.10, 8, 9, 18.35-18.37), as one front over the
 * parts that hold them, each with its own locking and none held across disk I/O:
 * <ul>
 *   <li>{@link ClientTable}: client records and leases (EXCHANGE_ID's cases, confirmation, expiry);</li>
 *   <li>{@link Grace}: the grace period and the record store, written by the store's own thread;</li>
 *   <li>{@link SessionTable}: sessions, each guarding its own slots;</li>
 *   <li>{@link FileStates}: opens and lock states, locked per file;</li>
 *   <li>{@link IdAllocator}: unguessable client ids, session ids and stateids.</li>
 * </ul>
 * Client records keep the principal that made them; only that principal may take over, confirm, bind to
 * or destroy them (see {@link #exchangeId} and {@link #createSession}).
 */
public final class StateManager {
    private static final Logger log = LoggerFactory.getLogger(StateManager.class);

    public static final int MAX_SLOTS = 64;
    /** How long CREATE_SESSION waits for a new client's record to be durable before answering anyway. */
    static final long RECORD_WAIT_SECONDS = 30;
    /** Up to this many expiries in one sweep are logged one by one; more as one line. */
    static final int LOG_EACH_EXPIRY = 10;
    /** The lease reaper releases this many expired clients, then pauses a millisecond. */
    static final int EXPIRY_BATCH = 100;

    private final byte[] bootVerifier;
    private final IdAllocator ids;
    private final Refusals refusals = new Refusals();
    private final int leaseSeconds;
    private final ClientTable clients;
    private final Grace grace;
    private final SessionTable sessions;
    private final FileStates files;
    private final ReplyCacheBudget replyCache;

    public StateManager(int leaseSeconds) {
        this(leaseSeconds, null);
    }

    public StateManager(int leaseSeconds, ClientStore store) {
        this(leaseSeconds, store, new ReplyCacheBudget(ReplyCacheBudget.DEFAULT_BYTES));
    }

    public StateManager(int leaseSeconds, ClientStore store, ReplyCacheBudget replyCache) {
        this.leaseSeconds = leaseSeconds;
        this.replyCache = replyCache;
        long now = System.currentTimeMillis();
        this.ids = new IdAllocator((int) (now / 1000));
        this.bootVerifier = ByteBuffer.allocate(8).putLong(System.nanoTime() ^ now).array();
        this.clients = new ClientTable(ids, refusals, leaseSeconds);
        this.grace = new Grace(store);
        this.sessions = new SessionTable(ids, replyCache);
        this.files = new FileStates(ids);
    }

    /** What every session's reply cache may take together (status, metrics, the start-up log). */
    public ReplyCacheBudget replyCache() {
        return replyCache;
    }

    public int leaseSeconds() {
        return leaseSeconds;
    }

    /** Changes on every server start: the write verifier (section 18.32.3) and the server owner's minor id. */
    public byte[] bootVerifier() {
        return Arrays.copyOf(bootVerifier, bootVerifier.length);
    }

    public void onOpenReleased(Consumer<OpenState> c) {
        files.onOpenReleased(c);
    }

    // ----- clients (EXCHANGE_ID, section 18.35.4; DESTROY_CLIENTID, 18.50) -----

    public record ExchangeResult(ClientRecord client, boolean confirmed) {
    }

    /** See {@link ClientTable#exchange}; a record it displaced (18.35.4 case 3) loses its state here. */
    public ExchangeResult exchangeId(byte[] ownerId, byte[] verifier, boolean update, Principal caller,
                                     StateProtection protection, InetSocketAddress from) throws NfsException {
        grace.clientArrived();
        if (!update && grace.inGrace() && grace.reservedForAnother(ownerId, caller)) {
            throw new NfsException(NfsStatus.CLID_INUSE, "client '" + printable(ownerId) + "' of the previous run "
                    + "belongs to another principal and may still reclaim (" + caller + " from " + from + ")");
        }
        ClientTable.Exchange x = clients.exchange(ownerId, verifier, update, caller, protection, from);
        if (x.displaced() != null) {
            release(x.displaced(), true);
        }
        return x.result();
    }

    public ClientRecord client(long clientId) throws NfsException {
        return clients.client(clientId);
    }

    public Optional<ClientRecord> findClient(long id) {
        return Optional.ofNullable(clients.find(id));
    }

    /** The caller must be the client's own principal for client id and session maintenance. */
    private void requireOwner(ClientRecord c, Principal caller, InetSocketAddress from, NfsStatus status, String what)
            throws NfsException {
        if (!c.principal().equals(caller)) {
            throw refusals.refuse(c, caller, from, status, what);
        }
    }

    /**
     * DESTROY_CLIENTID (section 18.50): only by the principal that made the client, and not while it still
     * has sessions, opens or locks.
     */
    public void destroyClient(long clientId, Principal caller, InetSocketAddress from) throws NfsException {
        ClientRecord c = clients.client(clientId);
        requireOwner(c, caller, from, NfsStatus.WRONG_CRED, "DESTROY_CLIENTID");
        synchronized (c) { // against a CREATE_SESSION of the same client making a session meanwhile
            if (c.hasState()) {
                throw new NfsException(NfsStatus.CLIENTID_BUSY, "client still has sessions, opens or locks");
            }
            if (!clients.remove(c)) {
                throw new NfsException(NfsStatus.STALE_CLIENTID, "client already gone");
            }
        }
        release(c, true);
    }

    /**
     * SP4_MACH_CRED (section 2.10.8.3): an operation the client listed in spo_must_enforce needs the machine
     * credential, i.e. the principal of the EXCHANGE_ID that made the record.
     */
    public void checkMachineCredential(ClientRecord c, int opcode, Credentials caller, InetSocketAddress from)
            throws NfsException {
        if (c.protection().enforces(opcode)) {
            checkMachineCredential(c, opcode, Principal.of(caller), from);
        }
    }

    public void checkMachineCredential(ClientRecord c, int opcode, Principal caller, InetSocketAddress from)
            throws NfsException {
        if (c.protection().enforces(opcode) && !c.principal().equals(caller)) {
            throw refusals.refuse(c, caller, from, NfsStatus.WRONG_CRED, "operation " + opcode
                    + " (SP4_MACH_CRED)");
        }
    }

    /** Marks the client's reclaims done; false when it already said so (NFS4ERR_COMPLETE_ALREADY). */
    public boolean reclaimComplete(ClientRecord c) {
        return grace.reclaimComplete(c);
    }

    // ----- grace period (section 8.4.2) -----

    /**
     * Starts a grace period for the clients of the previous run: they may reclaim opens and locks, and
     * everyone else's new opens and locks wait (NFS4ERR_GRACE) until it ends, or until all of them said
     * RECLAIM_COMPLETE.
     */
    public void startGrace(Set<String> previousClients, long seconds) {
        grace.start(previousClients, seconds);
    }

    public boolean inGrace() {
        return grace.inGrace();
    }

    /** Reclaims only in grace and only by clients of the previous run; new opens and locks only outside it. */
    public void checkGrace(ClientRecord c, boolean reclaim) throws NfsException {
        grace.check(c, reclaim);
    }

    /** REMOVE and RENAME wait during grace, as knfsd does, so they cannot break a reclaim. */
    public void checkNotInGrace() throws NfsException {
        grace.checkNotInGrace();
    }

    // ----- sessions (CREATE_SESSION, section 18.36) -----

    /** CREATE_SESSION's operation number (RFC 8881 section 18.36), for its SP4_MACH_CRED check. */
    static final int OP_CREATE_SESSION = 43;

    public interface CreateSessionCall {
        byte[] run(ClientRecord client) throws NfsException;
    }

    /**
     * Runs CREATE_SESSION with its own replay rule: the client record carries the expected sequence id,
     * and a retransmission of the previous one gets the previous reply. A newly confirmed client is recorded
     * for reclaim after a restart before the reply goes out: this waits (on a worker, never on the event
     * loop: CREATE_SESSION is never run inline) for the store's writer, holding no lock.
     */
    public byte[] createSession(long clientId, int seq, Principal caller, InetSocketAddress from,
                                CreateSessionCall body) throws NfsException {
        ClientRecord c = clients.client(clientId);
        // Section 18.36.4: a principal other than the one that made an unconfirmed record gets
        // NFS4ERR_CLID_INUSE. A confirmed record takes sessions, and retransmissions, from any principal unless
        // the client chose SP4_MACH_CRED for CREATE_SESSION (section 2.10.8.3), as knfsd does: with AUTH_SYS a
        // principal is only a claim, so what guards a client is its id, 64 random bits the server never shows
        // another client (LOCK4denied names other clients' owners with client id 0).
        if (!c.confirmed) {
            requireOwner(c, caller, from, NfsStatus.CLID_INUSE, "CREATE_SESSION");
        } else {
            checkMachineCredential(c, OP_CREATE_SESSION, caller, from);
        }
        byte[] reply;
        ClientRecord previous = null;
        CompletableFuture<Void> durable = null;
        synchronized (c) {
            if (seq == c.createSessionSeq - 1 && c.cachedCreateSessionReply != null) {
                return c.cachedCreateSessionReply; // a retransmission gets the cached reply (18.36.4)
            }
            if (seq != c.createSessionSeq) {
                throw new NfsException(NfsStatus.SEQ_MISORDERED, "create_session seq " + seq + " expected "
                        + c.createSessionSeq);
            }
            if (c.expired) {
                throw new NfsException(NfsStatus.STALE_CLIENTID, "client expired meanwhile");
            }
            reply = body.run(c);
            c.cachedCreateSessionReply = reply;
            c.createSessionSeq++;
            if (!c.confirmed) {
                previous = clients.confirm(c);
                durable = grace.recordConfirmed(c);
            }
            c.renew();
        }
        if (previous != null) {
            release(previous, false); // same owner: its record in the store is now the new one's
        }
        if (durable != null) {
            awaitRecord(durable, c);
        }
        return reply;
    }

    private static void awaitRecord(CompletableFuture<Void> durable, ClientRecord c) {
        try {
            durable.get(RECORD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot record client {} for reclaim after a restart: {}", printable(c.ownerId()),
                    e.getCause() != null ? e.getCause().toString() : e.toString());
        }
    }

    public Session newSession(ClientRecord client, ChannelAttrs fore, ChannelAttrs back, int cbProgram,
                              CallbackSecurity cbSec) {
        return sessions.create(client, fore, back, cbProgram, cbSec);
    }

    public Session session(byte[] id) throws NfsException {
        return sessions.get(id);
    }

    /**
     * DESTROY_SESSION (section 18.37.3): by the client's own principal, on a connection bound to the session
     * (else NFS4ERR_CONN_NOT_BOUND_TO_SESSION).
     */
    public void destroySession(Session s, Principal caller, RpcConnection connection) throws NfsException {
        InetSocketAddress from = connection == null ? null : connection.remoteAddress();
        requireOwner(s.client(), caller, from, NfsStatus.WRONG_CRED, "DESTROY_SESSION");
        if (connection != null && !s.isBound(connection)) {
            throw new NfsException(NfsStatus.CONN_NOT_BOUND_TO_SESSION, "DESTROY_SESSION on an unbound connection");
        }
        sessions.destroy(s);
    }

    /** BIND_CONN_TO_SESSION (section 18.34): only the client's own principal may add a connection. */
    public void checkBindConnection(Session s, Principal caller, InetSocketAddress from) throws NfsException {
        requireOwner(s.client(), caller, from, NfsStatus.WRONG_CRED, "BIND_CONN_TO_SESSION");
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

    public SlotDecision enterSlot(Session s, int slotId, int seq, Principal caller) throws NfsException {
        if (slotId < 0 || slotId >= s.slotCount()) {
            throw new NfsException(NfsStatus.BADSLOT, "slot " + slotId + " of " + s.slotCount());
        }
        Slot slot = s.slot(slotId);
        synchronized (slot) {
            if (seq == slot.seqid) {
                if (slot.inProgress) {
                    throw new NfsException(NfsStatus.DELAY, "retransmission of a request in progress");
                }
                if (!caller.equals(s.slotPrincipal(slotId))) {
                    // a reply is only replayed to whoever made the call (section 2.10.6.1.3.1: false retry)
                    throw new NfsException(NfsStatus.SEQ_FALSE_RETRY, "retry by another principal");
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
            s.slotPrincipal(slotId, caller);
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
        return FileStates.shareConflict(others, access, deny);
    }

    public OpenState open(ClientRecord client, OpenOwner owner, FileKey file, int access, int deny)
            throws NfsException {
        return files.open(client, owner, file, access, deny);
    }

    /** The opens of {@code file} now, of every client (for the delegation checks of OPEN). */
    public List<OpenState> opensOf(FileKey file) {
        return files.opensOf(file);
    }

    public StateId downgrade(OpenState o, int access, int deny) throws NfsException {
        return files.downgrade(o, access, deny);
    }

    /** CLOSE (section 18.2); of two CLOSEs of one stateid only the first succeeds, the other gets BAD_STATEID. */
    public StateId close(OpenState o) throws NfsException {
        return files.close(o);
    }

    // ----- stateid lookup (section 8.2) -----

    /** Finds the state a non-special stateid names, checking seqid and ownership. */
    public State find(StateId id, ClientRecord client) throws NfsException {
        return files.find(id, client);
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
    public void free(StateId id, ClientRecord client) throws NfsException {
        files.free(id, client);
    }

    // ----- byte-range locks (section 18.10-18.12) -----

    public LockState lockState(ClientRecord client, OpenState open, LockOwner owner) throws NfsException {
        return files.lockState(client, open, owner);
    }

    public ByteRangeLocks locks() {
        return files.locks();
    }

    /** A granted lock's new stateid, or the lock that conflicts with the request. */
    public record LockResult(StateId granted, ByteRangeLocks.Lock conflict) {
    }

    /** LOCK (see {@link FileStates#lock}): refused with BAD_STATEID if a CLOSE released the open meanwhile. */
    public LockResult lock(ClientRecord client, OpenState open, LockOwner newOwner, LockState existing,
                           boolean write, long start, long end) throws NfsException {
        return files.lock(client, open, newOwner, existing, write, start, end);
    }

    public StateId unlock(LockState ls, long start, long end) throws NfsException {
        return files.unlock(ls, start, end);
    }

    // ----- leases -----

    public void startLeaseReaper(java.util.concurrent.ScheduledExecutorService timer) {
        timer.scheduleAtFixedRate(this::expireIdleClients, 5, 5, TimeUnit.SECONDS);
    }

    void expireIdleClients() {
        expireIdleClients(System.nanoTime());
    }

    /**
     * Expires clients silent for a lease plus 5 s of slack for network delay (section 8.3). Each is taken
     * out of the client table, then its sessions and state are released file by file, and its record is
     * dropped from the store by the store's writer: others' operations wait for none of it.
     */
    void expireIdleClients(long now) {
        List<ClientRecord> idle = clients.idle(now);
        int expired = 0;
        for (ClientRecord c : idle) {
            if (clients.remove(c)) {
                if (idle.size() <= LOG_EACH_EXPIRY) {
                    log.info("lease of client {} expired; releasing its opens and locks", printable(c.ownerId()));
                }
                release(c, true);
                if (++expired % EXPIRY_BATCH == 0) {
                    pause(); // background work: let the CPU go to requests between batches
                }
            }
        }
        if (idle.size() > LOG_EACH_EXPIRY) {
            log.info("leases of {} clients expired (e.g. {}); releasing their opens and locks", expired,
                    printable(idle.get(0).ownerId()));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases a client that is out of the table: sessions, opens and locks, and (if forgotten) its record. */
    private void release(ClientRecord c, boolean forget) {
        c.expired = true;
        if (forget) {
            grace.forget(c);
        }
        sessions.destroyAll(c);
        try {
            files.releaseClient(c);
        } catch (NfsException e) {
            log.warn("releasing the state of client {}: {}", printable(c.ownerId()), e.getMessage());
        }
    }

    // ----- read-only counts and listings (for status reporting) -----

    /** How much state the server holds right now. */
    public record Counts(int clients, int confirmedClients, int sessions, int opens, int lockStates,
                         int byteRangeLocks, int filesWithState) {
    }

    public Counts counts() {
        return new Counts(clients.size(), clients.confirmedCount(), sessions.size(), files.openCount(),
                files.lockStateCount(), files.locks().size(), files.fileCount());
    }

    /** The client records (confirmed or not), a snapshot. */
    public List<ClientRecord> clients() {
        return clients.all();
    }

    /** The sessions, a snapshot. */
    public List<Session> sessions() {
        return sessions.all();
    }

    /** Read-only live view of clients, sessions, opens and locks, for metrics and `edge-nfsd status`. */
    public StateView view() {
        return new StateView(this, clients, sessions, files, grace);
    }

    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(x >= 32 && x < 127 ? (char) x : '.');
        }
        return sb.toString();
    }
}
