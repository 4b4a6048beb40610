package io.edgenfsd.bench.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * An NFSv4.1 client id and session on one connection, with a pool of slots so that many calls can be in
 * flight at once. {@link #run} takes a free slot, adds SEQUENCE, sends, and gives the slot back.
 */
public final class Session implements AutoCloseable {
    private final Connection conn;
    public final long clientId;
    public final byte[] sessionId;
    public final int slots;
    private final int[] seqids;
    private final BlockingQueue<Integer> free;

    public Session(String host, int port, String ownerName, int wantSlots, int maxIo) throws IOException {
        conn = new Connection(host, port);
        byte[] verifier = new byte[8];
        long t = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            verifier[i] = (byte) (t >>> (8 * i));
        }
        int xid = conn.nextXid();
        Reply r = conn.call(xid, new Compound(xid).exchangeId(verifier, ownerName.getBytes(StandardCharsets.UTF_8))
                .bytes());
        r.op(Compound.OP_EXCHANGE_ID);
        clientId = r.in.i64();
        int seq = r.in.i32();
        xid = conn.nextXid();
        r = conn.call(xid, new Compound(xid).createSession(clientId, seq, wantSlots, maxIo).bytes());
        r.op(Compound.OP_CREATE_SESSION);
        sessionId = r.in.fixed(16);
        r.in.i32();
        r.in.i32();
        r.in.skip(4 * 5);
        slots = Math.min(wantSlots, r.in.i32());
        seqids = new int[slots];
        free = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            seqids[i] = 1;
            free.add(i);
        }
        run(c -> c.reclaimComplete(), rr -> rr.op(Compound.OP_RECLAIM_COMPLETE));
    }

    /** Sends SEQUENCE + what {@code body} adds on a free slot, then lets {@code parse} read the results. */
    public <T> T run(Consumer<Compound> body, java.util.function.Function<Reply, T> parse) throws IOException {
        return run(512, body, parse);
    }

    public <T> T run(int capacity, Consumer<Compound> body, java.util.function.Function<Reply, T> parse)
            throws IOException {
        int slot;
        try {
            slot = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        try {
            int xid = conn.nextXid();
            Compound c = new Compound(xid, 0, 0, capacity).sequence(sessionId, seqids[slot], slot, slots - 1);
            body.accept(c);
            Reply r = conn.call(xid, c.bytes());
            seqids[slot]++;
            r.sequence();
            return parse.apply(r);
        } finally {
            free.add(slot);
        }
    }

    /** File handle of an absolute path, one LOOKUP per component from the (pseudo) root. */
    public byte[] lookupPath(String path) throws IOException {
        return run(c -> {
            c.putrootfh();
            for (String p : path.split("/")) {
                if (!p.isEmpty()) {
                    c.lookup(p);
                }
            }
            c.getfh();
        }, r -> {
            r.op(Compound.OP_PUTROOTFH);
            for (String p : path.split("/")) {
                if (!p.isEmpty()) {
                    r.op(Compound.OP_LOOKUP);
                }
            }
            return r.getfh();
        });
    }

    public record OpenFile(byte[] fh, Compound.StateIdBytes stateid) {
    }

    public OpenFile open(byte[] dir, String name, boolean create, byte[] owner) throws IOException {
        return run(c -> c.putfh(dir).open(clientId, owner, name, create).getfh(), r -> {
            r.op(Compound.OP_PUTFH);
            Compound.StateIdBytes sid = r.open();
            return new OpenFile(r.getfh(), sid);
        });
    }

    public void close(OpenFile f) throws IOException {
        run(c -> c.putfh(f.fh()).close(f.stateid()), r -> r.op(Compound.OP_PUTFH).op(Compound.OP_CLOSE));
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
