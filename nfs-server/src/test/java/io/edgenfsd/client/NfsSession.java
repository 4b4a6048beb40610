package io.edgenfsd.client;

import io.edgenfsd.status.NfsStatus;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * An NFSv4.1 client session: EXCHANGE_ID, CREATE_SESSION (with the back channel on the same connection)
 * and RECLAIM_COMPLETE, then compounds that each start with SEQUENCE on a free slot. Thread-safe: as many
 * compounds may be in flight as the session has slots.
 */
public final class NfsSession implements AutoCloseable {
    public static final int CB_PROGRAM = 0x40000000;
    public static final int CREATE_SESSION_FLAG_CONN_BACK_CHAN = 0x2;

    private final RpcClient rpc;
    private final Cred cred;
    private final long clientId;
    private final byte[] sessionId;
    private final int[] slotSeq;
    private final BlockingQueue<Integer> freeSlots;
    private final byte[] openOwner;

    private NfsSession(RpcClient rpc, Cred cred, long clientId, byte[] sessionId, int slots) {
        this.rpc = rpc;
        this.cred = cred;
        this.clientId = clientId;
        this.sessionId = sessionId;
        this.slotSeq = new int[slots];
        this.freeSlots = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            freeSlots.add(i);
        }
        this.openOwner = ("owner-" + ThreadLocalRandom.current().nextLong()).getBytes(StandardCharsets.UTF_8);
    }

    public static NfsSession connect(InetSocketAddress server, Cred cred) {
        return establish(RpcClient.connect(server), cred, "edge-nfsd-test-" + ThreadLocalRandom.current().nextLong());
    }

    /** EXCHANGE_ID + CREATE_SESSION + RECLAIM_COMPLETE on an existing connection. */
    public static NfsSession establish(RpcClient rpc, Cred cred, String ownerName) {
        return establish(rpc, cred, ownerName, true);
    }

    /** As {@link #establish(RpcClient, Cred, String)}; without RECLAIM_COMPLETE when reclaims are to follow. */
    public static NfsSession establish(RpcClient rpc, Cred cred, String ownerName, boolean reclaimComplete) {
        return establish(rpc, cred, ownerName, reclaimComplete, 1);
    }

    /** As above, EXCHANGE_ID and CREATE_SESSION sent at the given COMPOUND minor version. */
    public static NfsSession establish(RpcClient rpc, Cred cred, String ownerName, boolean reclaimComplete,
                                       int minor) {
        byte[] verifier = new byte[8];
        ThreadLocalRandom.current().nextBytes(verifier);
        CompoundReply ex = send(rpc, cred, new Compound().minorVersion(minor).exchangeId(verifier,
                ownerName.getBytes(StandardCharsets.UTF_8), 0)).orThrow();
        Res.ExchangeId eid = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
        CompoundReply cs = send(rpc, cred, new Compound().minorVersion(minor).createSession(eid.clientId(), eid.seq(),
                CREATE_SESSION_FLAG_CONN_BACK_CHAN, 16, CB_PROGRAM)).orThrow();
        Res.CreateSession c = cs.body(Op.CREATE_SESSION, Res.CreateSession.class);
        NfsSession s = new NfsSession(rpc, cred, eid.clientId(), c.sessionId(), c.foreSlots());
        if (reclaimComplete) {
            s.compound(x -> x.reclaimComplete(false)).orThrow();
        }
        return s;
    }

    public static CompoundReply send(RpcClient rpc, Cred cred, Compound c) {
        return CompoundReply.decode(rpc.call(RpcClient.NFS_PROGRAM, RpcClient.NFS_VERSION, RpcClient.PROC_COMPOUND,
                cred, c.encode()));
    }

    public RpcClient rpc() {
        return rpc;
    }

    public Cred cred() {
        return cred;
    }

    public long clientId() {
        return clientId;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    public byte[] openOwner() {
        return openOwner.clone();
    }

    public int slots() {
        return slotSeq.length;
    }

    /** SEQUENCE on a free slot, then the given operations. */
    public CompoundReply compound(Consumer<Compound> ops) {
        return compound(false, ops);
    }

    /** As {@link #compound(Consumer)}, asking the server to keep the reply in the slot (sa_cachethis). */
    public CompoundReply compound(boolean cacheThis, Consumer<Compound> ops) {
        return compound(1, cacheThis, ops);
    }

    /** As {@link #compound(Consumer)} at NFSv4.2 (COMPOUND minor version 2, RFC 7862). */
    public CompoundReply compound42(Consumer<Compound> ops) {
        return compound(2, false, ops);
    }

    private CompoundReply compound(int minor, boolean cacheThis, Consumer<Compound> ops) {
        int slot;
        try {
            slot = freeSlots.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            int seq;
            synchronized (slotSeq) {
                seq = ++slotSeq[slot];
            }
            Compound c = new Compound().minorVersion(minor).sequence(sessionId, seq, slot, slotSeq.length - 1,
                    cacheThis);
            ops.accept(c);
            CompoundReply r = send(c);
            if (r.results().isEmpty() || r.get(0).status() != NfsStatus.OK) {
                synchronized (slotSeq) {
                    slotSeq[slot]--; // the server did not use this sequence id
                }
            }
            return r;
        } finally {
            freeSlots.add(slot);
        }
    }

    /** A compound without SEQUENCE (or with one the caller wrote). */
    public CompoundReply send(Compound c) {
        return send(rpc, cred, c);
    }

    /** Compound arguments as given, sent with this session's credentials. */
    public RpcResult sendArgs(byte[] compoundArgs) {
        return rpc.call(RpcClient.NFS_PROGRAM, RpcClient.NFS_VERSION, RpcClient.PROC_COMPOUND, cred, compoundArgs);
    }

    /**
     * Takes a slot out of the automatic rotation for a test that drives sequence ids itself; returns the
     * next sequence id the server expects on it.
     */
    public int reserveSlot(int slot) {
        if (!freeSlots.remove(slot)) {
            throw new IllegalStateException("slot " + slot + " is busy");
        }
        synchronized (slotSeq) {
            return slotSeq[slot] + 1;
        }
    }

    /** Gives a reserved slot back; {@code lastUsedSeq} is the last sequence id the server accepted on it. */
    public void releaseSlot(int slot, int lastUsedSeq) {
        synchronized (slotSeq) {
            slotSeq[slot] = lastUsedSeq;
        }
        freeSlots.add(slot);
    }

    /** SEQUENCE with explicit slot and sequence id, then the given operations. */
    public Compound sequenced(int slot, int seq, Consumer<Compound> ops) {
        Compound c = new Compound().sequence(sessionId, seq, slot, slotSeq.length - 1, true);
        ops.accept(c);
        return c;
    }

    // ----- conveniences -----

    public byte[] rootFh() {
        return compound(c -> c.putrootfh().getfh()).orThrow().body(Op.GETFH, byte[].class);
    }

    /** Filehandle of a path from the pseudo root, e.g. "/tmp/x/export/dir". */
    public byte[] lookupPath(String path) {
        return compound(c -> {
            c.putrootfh();
            for (String part : path.split("/")) {
                if (!part.isEmpty()) {
                    c.lookup(part);
                }
            }
            c.getfh();
        }).orThrow().body(Op.GETFH, byte[].class);
    }

    public byte[] lookup(byte[] dir, String name) {
        return compound(c -> c.putfh(dir).lookup(name).getfh()).orThrow().body(Op.GETFH, byte[].class);
    }

    public Fattr getattr(byte[] fh, int... bits) {
        return compound(c -> c.putfh(fh).getattr(bits)).orThrow().body(Op.GETATTR, Fattr.class);
    }

    /** An open file: its filehandle and open stateid. */
    public record OpenFile(byte[] fh, Stateid stateid) {
    }

    /** OPEN with create (UNCHECKED4, mode 0644 unless given) for reading and writing. */
    public OpenFile create(byte[] dir, String name, Attrs attrs) {
        CompoundReply r = compound(c -> c.putfh(dir).openCreate(Op.ACCESS_BOTH, Op.DENY_NONE, clientId, openOwner,
                Op.UNCHECKED, attrs, null, name).getfh()).orThrow();
        return new OpenFile(r.body(Op.GETFH, byte[].class), r.body(Op.OPEN, Res.Open.class).stateid());
    }

    public OpenFile open(byte[] dir, String name, int access, int deny) {
        CompoundReply r = compound(c -> c.putfh(dir).open(access, deny, clientId, openOwner, name).getfh())
                .orThrow();
        return new OpenFile(r.body(Op.GETFH, byte[].class), r.body(Op.OPEN, Res.Open.class).stateid());
    }

    public Res.Write write(OpenFile f, long offset, byte[] data, int stable) {
        return compound(c -> c.putfh(f.fh()).write(f.stateid(), offset, stable, data)).orThrow()
                .body(Op.WRITE, Res.Write.class);
    }

    public Res.Read read(OpenFile f, long offset, int count) {
        return compound(c -> c.putfh(f.fh()).read(f.stateid(), offset, count)).orThrow()
                .body(Op.READ, Res.Read.class);
    }

    public Stateid close(OpenFile f) {
        return compound(c -> c.putfh(f.fh()).close(f.stateid())).orThrow().body(Op.CLOSE, Stateid.class);
    }

    public byte[] mkdir(byte[] dir, String name) {
        return compound(c -> c.putfh(dir).mkdir(name, Attrs.mode(0755)).getfh()).orThrow()
                .body(Op.GETFH, byte[].class);
    }

    public void remove(byte[] dir, String name) {
        compound(c -> c.putfh(dir).remove(name)).orThrow();
    }

    /** DESTROY_SESSION and DESTROY_CLIENTID, then closes the connection. */
    @Override
    public void close() {
        try {
            if (!rpc.closedFuture().isDone()) {
                send(new Compound().destroySession(sessionId));
                send(new Compound().destroyClientId(clientId));
            }
        } catch (RuntimeException ignored) {
            // the connection may already be gone; closing it is all that is left
        } finally {
            rpc.close();
        }
    }
}
