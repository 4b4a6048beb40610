package io.edgenfsd.bench.wire;

/**
 * One ONC RPC call of NFSv4.1 COMPOUND (RFC 5531 call header with AUTH_SYS, RFC 8881 COMPOUND4args),
 * record-marked, as the JMH benchmarks feed it to the server's pipeline. The benchmarks pre-encode each
 * request once and patch only the SEQUENCE sequence id per invocation ({@link #mark()} gives its offset),
 * which is why they build records here rather than with the test client (io.edgenfsd.client), which the
 * load generator uses.
 */
public final class Compound {
    public static final int OP_CLOSE = 4, OP_COMMIT = 5, OP_GETATTR = 9, OP_GETFH = 10, OP_LOOKUP = 15,
            OP_OPEN = 18, OP_PUTFH = 22, OP_PUTROOTFH = 24, OP_READ = 25, OP_READDIR = 26, OP_REMOVE = 28,
            OP_WRITE = 38, OP_EXCHANGE_ID = 42, OP_CREATE_SESSION = 43, OP_SEQUENCE = 53,
            OP_RECLAIM_COMPLETE = 58;
    public static final int UNSTABLE = 0, DATA_SYNC = 1, FILE_SYNC = 2;
    /** OPEN4_SHARE_ACCESS_BOTH | OPEN4_SHARE_ACCESS_WANT_NO_DELEG: no delegation, so no callbacks. */
    public static final int ACCESS_BOTH_NO_DELEG = 3 | 0x0400;

    private final Xdr.Out out;
    private final int countPos;
    private int ops;

    public Compound(int xid, int uid, int gid, int capacity) {
        out = new Xdr.Out(capacity);
        out.i32(0); // record mark, filled by bytes()
        out.i32(xid).i32(0).i32(2).i32(100003).i32(4).i32(1);
        Xdr.Out cred = new Xdr.Out(64);
        cred.i32(0).str("edge-bench").i32(uid).i32(gid).i32(0);
        out.i32(1).opaque(cred.toArray());
        out.i32(0).i32(0);
        out.opaque(new byte[0]); // tag
        out.i32(1);              // minor version
        countPos = out.length();
        out.i32(0);
    }

    public Compound(int xid) {
        this(xid, 0, 0, 256);
    }

    private Xdr.Out op(int code) {
        ops++;
        return out.i32(code);
    }

    public Compound sequence(byte[] sessionId, int seq, int slot, int highestSlot) {
        op(OP_SEQUENCE).fixed(sessionId).i32(seq).i32(slot).i32(highestSlot).i32(0);
        return this;
    }

    public Compound putfh(byte[] fh) {
        op(OP_PUTFH).opaque(fh);
        return this;
    }

    public Compound putrootfh() {
        op(OP_PUTROOTFH);
        return this;
    }

    public Compound lookup(String name) {
        op(OP_LOOKUP).str(name);
        return this;
    }

    public Compound getfh() {
        op(OP_GETFH);
        return this;
    }

    public Compound getattr(int... bitmap) {
        op(OP_GETATTR).bitmap(bitmap);
        return this;
    }

    /** OPEN by name with UNCHECKED4 create (mode 0644) or no create. */
    public Compound open(long clientId, byte[] owner, String name, boolean create) {
        Xdr.Out o = op(OP_OPEN).i32(0).i32(ACCESS_BOTH_NO_DELEG).i32(0).i64(clientId).opaque(owner);
        if (create) {
            o.i32(1).i32(0).bitmap(0, 1 << (33 - 32)).i32(4).i32(0644);
        } else {
            o.i32(0);
        }
        o.i32(0).str(name);
        return this;
    }

    public Compound close(StateIdBytes sid) {
        op(OP_CLOSE).i32(0).i32(sid.seqid()).fixed(sid.other());
        return this;
    }

    public Compound read(StateIdBytes sid, long offset, int count) {
        op(OP_READ).i32(sid.seqid()).fixed(sid.other()).i64(offset).i32(count);
        return this;
    }

    public Compound write(StateIdBytes sid, long offset, int stable, byte[] data, int off, int len) {
        op(OP_WRITE).i32(sid.seqid()).fixed(sid.other()).i64(offset).i32(stable).opaque(data, off, len);
        return this;
    }

    public Compound commit(long offset, int count) {
        op(OP_COMMIT).i64(offset).i32(count);
        return this;
    }

    public Compound remove(String name) {
        op(OP_REMOVE).str(name);
        return this;
    }

    public Compound readdir(long cookie, byte[] verifier, int dircount, int maxcount, int... bitmap) {
        op(OP_READDIR).i64(cookie).fixed(verifier).i32(dircount).i32(maxcount).bitmap(bitmap);
        return this;
    }

    public Compound reclaimComplete() {
        op(OP_RECLAIM_COMPLETE).i32(0);
        return this;
    }

    public Compound exchangeId(byte[] verifier, byte[] ownerId) {
        // flags: EXCHGID4_FLAG_USE_NON_PNFS; SP4_NONE; no implementation id
        op(OP_EXCHANGE_ID).fixed(verifier).opaque(ownerId).i32(0x00010000).i32(0).i32(0);
        return this;
    }

    /** CREATE_SESSION without a back channel; asks for {@code slots} slots and {@code maxIo} bytes of I/O. */
    public Compound createSession(long clientId, int seq, int slots, int maxIo) {
        Xdr.Out o = op(OP_CREATE_SESSION).i64(clientId).i32(seq).i32(0);
        o.i32(0).i32(maxIo + 8192).i32(maxIo + 8192).i32(8192).i32(16).i32(slots).i32(0);
        o.i32(0).i32(4096).i32(4096).i32(0).i32(2).i32(1).i32(0);
        o.i32(0x40000000).i32(1).i32(0); // cb_program, one callback_sec_parms4: AUTH_NONE
        return this;
    }

    /** Current length of the record (the offset the next operation's code is written at). */
    public int mark() {
        return out.length();
    }

    /** The record-marked call; valid until this compound is changed. */
    public byte[] bytes() {
        out.setInt(countPos, ops);
        out.setInt(0, 0x80000000 | (out.length() - 4));
        return out.toArray();
    }

    public record StateIdBytes(int seqid, byte[] other) {
    }
}
