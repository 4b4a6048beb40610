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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Delegations (RFC 8881 section 10.2-10.4): granted on OPEN, recalled over the back channel when another
 * client's operation conflicts, and revoked when the holder has not returned one a lease after its recall.
 *
 * <p>One small table per file, each with its own monitor; the monitor is never held across a callback or
 * disk I/O. A conflicting operation never waits here: it gets NFS4ERR_DELAY while the recall is out
 * (section 10.4.6 lets the server answer so), and the recall is bounded by one lease.
 */
public final class Delegations {
    private static final Logger log = LoggerFactory.getLogger(Delegations.class);

    /** why_no_delegation4 (section 18.16.3). */
    public static final int WND4_NOT_WANTED = 0;
    public static final int WND4_CONTENTION = 1;
    public static final int WND4_RESOURCE = 2;
    public static final int WND4_NOT_SUPP_FTYPE = 3;
    public static final int WND4_WRITE_DELEG_NOT_SUPP_FTYPE = 4;
    public static final int WND4_NOT_SUPP_UPGRADE = 5;
    public static final int WND4_CANCELLED = 7;

    /** Sends CB_RECALL for a delegation on a session's back channel; must return at once. */
    public interface Recaller {
        void recall(Session s, Delegation d);

        /** CB_GETATTR of a write delegation's file (section 20.1): completes with {change, size}. */
        default CompletableFuture<long[]> getattr(Session s, Delegation d) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("CB_GETATTR"));
        }
    }

    /** A granted delegation, or null and the why_no_delegation4 reason. */
    public record Grant(Delegation delegation, int whyNot) {
    }

    /** Files that are being changed by a conflicting operation get no new delegation meanwhile. */
    public interface Conflict extends AutoCloseable {
        @Override
        void close();
    }

    private record Inode(long dev, long ino) {
        static Inode of(FileKey k) {
            return new Inode(k.dev(), k.ino());
        }
    }

    /** An operation of {@code client} that conflicts with read delegations ({@code write}) or write ones. */
    private record Active(ClientRecord client, boolean write) {
        boolean blocks(ClientRecord grantee, int type) {
            return client != grantee && (write || type == Delegation.WRITE);
        }
    }

    private static final class PerFile {
        final List<Delegation> held = new ArrayList<>();
        /** Conflicting operations in progress on this file (between their check and their end). */
        final List<Active> active = new ArrayList<>();
        /** The last conflicting operation that ended: no grant to others right after it (as knfsd does). */
        Active last;
        long lastNanos;
        /** Taken out of the table by {@link #sweep}: whoever finds it so must look the file up again. */
        boolean detached;
    }

    /** The file's table (callers lock it and check {@code detached}). */
    private PerFile entry(FileKey file) {
        return files.computeIfAbsent(Inode.of(file), k -> new PerFile());
    }

    private final int bootEpoch = (int) (System.currentTimeMillis() / 1000);
    private final SecureRandom random = new SecureRandom();
    private final Map<Inode, PerFile> files = new ConcurrentHashMap<>();
    private final Map<OpaqueKey, Delegation> byId = new ConcurrentHashMap<>();
    /** Revoked delegations not yet freed, per client: SEQ4_STATUS_RECALLABLE_STATE_REVOKED (18.46.3). */
    private final Map<ClientRecord, List<Delegation>> revoked = new ConcurrentHashMap<>();
    private final long leaseNanos;
    private final long quietNanos;
    private volatile Recaller recaller = (s, d) -> { };

    public Delegations(int leaseSeconds) {
        this(leaseSeconds, TimeUnit.SECONDS.toNanos(2));
    }

    Delegations(int leaseSeconds, long quietNanos) {
        this.leaseNanos = TimeUnit.SECONDS.toNanos(leaseSeconds);
        this.quietNanos = quietNanos;
    }

    public void recaller(Recaller r) {
        recaller = r;
    }

    /** A session of the client whose back channel is up, or null (then no delegation is granted). */
    static Session callbackSession(ClientRecord c) {
        for (Session s : c.sessions) {
            if (!s.destroyed() && s.callbackProgram() != 0 && s.backChannel() != null) {
                return s;
            }
        }
        return null;
    }

    /**
     * Grants {@code client} a delegation of {@code type} on {@code file} unless another client holds or is
     * being recalled from one, a conflicting operation is under way, the client cannot be called back, or
     * {@code noConflictingOpens} (asked under this file's monitor, so no grant races an OPEN's check) says no.
     */
    public Grant grant(ClientRecord client, FileKey file, byte[] fileHandle, int type,
                       BooleanSupplier noConflictingOpens) {
        if (callbackSession(client) == null) {
            return new Grant(null, WND4_RESOURCE);
        }
        while (true) {
            PerFile pf = entry(file);
            synchronized (pf) {
                if (!pf.detached) {
                    return grant(pf, client, file, fileHandle, type, noConflictingOpens);
                }
            }
        }
    }

    /** Must hold pf's monitor. */
    private Grant grant(PerFile pf, ClientRecord client, FileKey file, byte[] fileHandle, int type,
                        BooleanSupplier noConflictingOpens) {
        {
            for (Active a : pf.active) {
                if (a.blocks(client, type)) {
                    return new Grant(null, WND4_CONTENTION);
                }
            }
            if (pf.last != null && pf.last.blocks(client, type) && System.nanoTime() - pf.lastNanos < quietNanos) {
                return new Grant(null, WND4_CONTENTION);
            }
            for (Delegation d : pf.held) {
                if (d.client == client) {
                    return new Grant(null, d.type >= type ? WND4_NOT_WANTED : WND4_NOT_SUPP_UPGRADE);
                }
                if (!d.client.expired && (type == Delegation.WRITE || d.type == Delegation.WRITE
                        || d.recallStartedNanos != 0)) {
                    return new Grant(null, WND4_CONTENTION);
                }
            }
            if (!noConflictingOpens.getAsBoolean()) {
                return new Grant(null, WND4_CONTENTION);
            }
            byte[] other = ByteBuffer.allocate(12).putInt(bootEpoch).putLong(random.nextLong()).array();
            Delegation d = new Delegation(other, client, file, fileHandle, type);
            pf.held.add(d);
            byId.put(new OpaqueKey(other), d);
            return new Grant(d, 0);
        }
    }

    /**
     * Called by an operation of {@code caller} that conflicts with delegations others hold on {@code file}:
     * a write (or deny-read) open, SETATTR, REMOVE, RENAME, LINK, an anonymous WRITE ({@code write} true),
     * or any open when only write delegations conflict ({@code write} false). Starts the recall of each
     * conflicting delegation and answers NFS4ERR_DELAY while one is out; a delegation not returned a lease
     * after its recall is revoked (section 10.4.6, 8.3) and no longer holds the caller back. On success the
     * returned {@link Conflict} must be closed when the operation has finished.
     */
    public Conflict conflict(ClientRecord caller, FileKey file, boolean write) throws NfsException {
        List<Delegation> toRecall = new ArrayList<>();
        boolean wait = false;
        long now = System.nanoTime();
        PerFile pf;
        while (true) {
            pf = entry(file);
            synchronized (pf) {
                if (!pf.detached) {
                    wait = conflictLocked(pf, caller, write, now, toRecall);
                    if (!wait) {
                        pf.active.add(new Active(caller, write));
                    }
                    break;
                }
            }
        }
        for (Delegation d : toRecall) {
            sendRecall(d);
        }
        if (wait) {
            throw new NfsException(NfsStatus.DELAY, "delegation on the file is being recalled");
        }
        PerFile held = pf;
        Active me = new Active(caller, write);
        return () -> {
            synchronized (held) {
                held.active.remove(me);
                if (held.last == null || me.write || !held.last.write || held.last.client == caller
                        || System.nanoTime() - held.lastNanos >= quietNanos) {
                    held.last = me;
                    held.lastNanos = System.nanoTime();
                }
            }
        };
    }

    /**
     * A write delegation another client holds on {@code file} and has not been asked to return, or null: a
     * GETATTR of the file's size or change by {@code caller} asks the holder first (section 10.4.3).
     */
    public Delegation writeHeldByOther(ClientRecord caller, FileKey file) {
        PerFile pf = files.get(Inode.of(file));
        if (pf == null) {
            return null;
        }
        synchronized (pf) {
            for (Delegation d : pf.held) {
                if (d.type == Delegation.WRITE && d.client != caller && !d.client.expired && !d.revoked
                        && d.recallStartedNanos == 0) {
                    return d;
                }
            }
        }
        return null;
    }

    /** CB_GETATTR to the holder of write delegation {@code d}: {change, size}, or failed (no back channel). */
    public CompletableFuture<long[]> askHolder(Delegation d) {
        Session s = callbackSession(d.client);
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no back channel"));
        }
        return recaller.getattr(s, d);
    }

    /** Must hold pf's monitor; true when the caller must wait. */
    private boolean conflictLocked(PerFile pf, ClientRecord caller, boolean write, long now,
                                   List<Delegation> toRecall) {
        boolean wait = false;
        {
            for (Delegation d : new ArrayList<>(pf.held)) {
                if (d.client == caller || !(write || d.type == Delegation.WRITE)) {
                    continue;
                }
                if (d.client.expired) {
                    drop(pf, d);
                } else if (d.recallStartedNanos == 0) {
                    d.recallStartedNanos = now;
                    toRecall.add(d);
                    wait = true;
                } else if (now - d.recallStartedNanos >= leaseNanos) {
                    revoke(pf, d);
                } else {
                    wait = true;
                }
            }
        }
        return wait;
    }

    private void sendRecall(Delegation d) {
        Session s = callbackSession(d.client);
        if (s == null) {
            log.info("cannot recall {} of a client with no back channel; it is revoked after a lease", d);
            return;
        }
        log.debug("recalling {}", d);
        recaller.recall(s, d);
    }

    /** Must hold pf's monitor. */
    private void drop(PerFile pf, Delegation d) {
        pf.held.remove(d);
        byId.remove(new OpaqueKey(d.other));
    }

    /** Must hold pf's monitor. The stateid stays known, answering NFS4ERR_DELEG_REVOKED, until freed. */
    private void revoke(PerFile pf, Delegation d) {
        pf.held.remove(d);
        d.revoked = true;
        revoked.computeIfAbsent(d.client, c -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(d);
        log.info("revoked {}: not returned a lease after its recall", d);
    }

    /**
     * The delegation {@code id} names, or null when it names none (then it may be an open or lock stateid).
     * A revoked one answers NFS4ERR_DELEG_REVOKED; another client's, NFS4ERR_BAD_STATEID.
     */
    public Delegation find(StateId id, ClientRecord client) throws NfsException {
        Delegation d = byId.get(new OpaqueKey(id.other()));
        if (d == null) {
            return null;
        }
        if (d.client != client) {
            throw new NfsException(NfsStatus.BAD_STATEID, "delegation of another client");
        }
        if (id.seqid() != 0 && id.seqid() != 1) {
            throw new NfsException(Integer.compareUnsigned(id.seqid(), 1) > 0 ? NfsStatus.BAD_STATEID
                    : NfsStatus.OLD_STATEID, "delegation stateid seqid " + id.seqid());
        }
        if (d.revoked) {
            throw new NfsException(NfsStatus.DELEG_REVOKED, d + " was revoked");
        }
        return d;
    }

    /** DELEGRETURN (section 18.6): the client gives the delegation back; its conflicting callers may go on. */
    public void giveBack(Delegation d) {
        PerFile pf = files.get(Inode.of(d.file));
        if (pf != null) {
            synchronized (pf) {
                drop(pf, d);
                d.returned = true;
            }
        } else {
            byId.remove(new OpaqueKey(d.other));
        }
    }

    /**
     * FREE_STATEID of a delegation stateid (section 18.38.3): only a revoked one may be freed; a live one
     * answers NFS4ERR_LOCKS_HELD, as for an open stateid. Returns false when {@code id} names no delegation.
     */
    public boolean free(StateId id, ClientRecord client) throws NfsException {
        Delegation d = byId.get(new OpaqueKey(id.other()));
        if (d == null || d.client != client) {
            return false;
        }
        if (!d.revoked) {
            throw new NfsException(NfsStatus.LOCKS_HELD, "FREE_STATEID of a delegation not revoked");
        }
        byId.remove(new OpaqueKey(d.other));
        List<Delegation> l = revoked.get(client);
        if (l != null) {
            l.remove(d);
            revoked.remove(client, List.of());
        }
        return true;
    }

    /** Whether the client has revoked delegations it has not yet freed (SEQ4_STATUS_RECALLABLE_STATE_REVOKED). */
    public boolean hasRevoked(ClientRecord client) {
        List<Delegation> l = revoked.get(client);
        return l != null && !l.isEmpty();
    }

    /** How many delegations are held (not revoked, not returned); for logs and tests. */
    public int held() {
        int n = 0;
        for (PerFile pf : files.values()) {
            synchronized (pf) {
                n += pf.held.size();
            }
        }
        return n;
    }

    /**
     * Run every few seconds: revokes delegations not returned a lease after their recall even when nobody
     * asks again, and forgets those of expired clients and empty per-file tables.
     */
    public void sweep() {
        long now = System.nanoTime();
        for (Map.Entry<Inode, PerFile> e : files.entrySet()) {
            PerFile pf = e.getValue();
            synchronized (pf) {
                for (Delegation d : new ArrayList<>(pf.held)) {
                    if (d.client.expired) {
                        drop(pf, d);
                    } else if (d.recallStartedNanos != 0 && now - d.recallStartedNanos >= leaseNanos) {
                        revoke(pf, d);
                    }
                }
                if (pf.held.isEmpty() && pf.active.isEmpty() && now - pf.lastNanos >= quietNanos) {
                    pf.detached = true;
                    files.remove(e.getKey(), pf);
                }
            }
        }
        for (ClientRecord c : new ArrayList<>(revoked.keySet())) {
            if (c.expired) {
                for (Delegation d : revoked.remove(c)) {
                    byId.remove(new OpaqueKey(d.other));
                }
            }
        }
    }
}
