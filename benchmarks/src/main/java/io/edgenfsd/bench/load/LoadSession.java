package io.edgenfsd.bench.load;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.client.XdrOut;
import io.edgenfsd.status.NfsStatus;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A load-generator session on the project's test client (RpcClient, Compound, CompoundReply). It differs
 * from {@link NfsSession} only in CREATE_SESSION: the fore channel asks for 1 MiB + 8 KiB requests and
 * responses (a 1 MiB WRITE plus its RPC and COMPOUND headers does not fit in the 1 MiB NfsSession asks
 * for) and for {@code slots} slots, with no back channel; OPENs ask for no delegation, so neither server
 * needs to call back.
 */
final class LoadSession implements AutoCloseable {
    static final int WANT_NO_DELEG = 0x0400;

    private final RpcClient rpc;
    private final Cred cred = Cred.root();
    final long clientId;
    final byte[] sessionId;
    final int slots;
    private final int[] seqs;
    private final BlockingQueue<Integer> free;
    private final byte[] owner;

    LoadSession(InetSocketAddress server, String ownerName, int wantSlots, int maxIo) {
        rpc = RpcClient.connect(server);
        byte[] verifier = new byte[8];
        ThreadLocalRandom.current().nextBytes(verifier);
        CompoundReply ex = NfsSession.send(rpc, cred, new Compound().exchangeId(verifier,
                ownerName.getBytes(StandardCharsets.UTF_8), 0)).orThrow();
        Res.ExchangeId eid = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
        XdrOut args = new XdrOut();
        args.int64(eid.clientId()).int32(eid.seq()).int32(0);
        args.int32(0).int32(maxIo + 8192).int32(maxIo + 8192).int32(8192).int32(16).int32(wantSlots).int32(0);
        args.int32(0).int32(4096).int32(4096).int32(0).int32(2).int32(1).int32(0);
        args.int32(NfsSession.CB_PROGRAM).int32(1).int32(Cred.AUTH_NONE);
        CompoundReply cs = NfsSession.send(rpc, cred, new Compound().raw(Op.CREATE_SESSION, args.toByteArray()))
                .orThrow();
        Res.CreateSession c = cs.body(Op.CREATE_SESSION, Res.CreateSession.class);
        clientId = eid.clientId();
        sessionId = c.sessionId();
        slots = Math.min(wantSlots, c.foreSlots());
        seqs = new int[slots];
        free = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            free.add(i);
        }
        owner = (ownerName + "-open-owner").getBytes(StandardCharsets.UTF_8);
        compound(x -> x.reclaimComplete(false));
    }

    /** SEQUENCE on a free slot, then {@code ops}; throws unless every operation succeeded. */
    CompoundReply compound(Consumer<Compound> ops) {
        int slot;
        try {
            slot = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            Compound c = new Compound().sequence(sessionId, ++seqs[slot], slot, slots - 1, false);
            ops.accept(c);
            CompoundReply r = NfsSession.send(rpc, cred, c);
            if (r.results().isEmpty() || r.get(0).status() != NfsStatus.OK) {
                seqs[slot]--;
            }
            return r.orThrow();
        } finally {
            free.add(slot);
        }
    }

    byte[] lookupPath(String path) {
        return compound(c -> {
            c.putrootfh();
            for (String p : path.split("/")) {
                if (!p.isEmpty()) {
                    c.lookup(p);
                }
            }
            c.getfh();
        }).body(Op.GETFH, byte[].class);
    }

    NfsSession.OpenFile create(byte[] dir, String name) {
        CompoundReply r = compound(c -> c.putfh(dir).openCreate(Op.ACCESS_BOTH | WANT_NO_DELEG, Op.DENY_NONE,
                clientId, owner, Op.UNCHECKED, io.edgenfsd.client.Attrs.mode(0644), null, name).getfh());
        return new NfsSession.OpenFile(r.body(Op.GETFH, byte[].class), r.body(Op.OPEN, Res.Open.class).stateid());
    }

    Stateid close(NfsSession.OpenFile f) {
        return compound(c -> c.putfh(f.fh()).close(f.stateid())).body(Op.CLOSE, Stateid.class);
    }

    @Override
    public void close() {
        rpc.close();
    }
}
