package io.edgenfsd.bench.wire;

import java.nio.ByteBuffer;

/** A COMPOUND reply, read op by op in the order the call sent them. */
public final class Reply {
    public final Xdr.In in;
    public final int status;

    /** {@code record}: one RPC reply message without its record mark. */
    public Reply(ByteBuffer record) {
        in = new Xdr.In(record);
        in.i32(); // xid
        if (in.i32() != 1) {
            throw new IllegalStateException("not a REPLY");
        }
        if (in.i32() != 0) {
            throw new IllegalStateException("RPC call denied");
        }
        in.i32();
        in.skipOpaque();
        int accept = in.i32();
        if (accept != 0) {
            throw new IllegalStateException("RPC accept_stat " + accept);
        }
        status = in.i32();
        in.skipOpaque(); // tag
        in.i32();        // result count
    }

    /** Reads the next result's header; throws {@link NfsError} when it is not NFS4_OK. */
    public Reply op(int expected) {
        int op = in.i32();
        int st = in.i32();
        if (op != expected) {
            throw new IllegalStateException("expected result of op " + expected + ", got " + op);
        }
        if (st != 0) {
            throw new NfsError(op, st);
        }
        return this;
    }

    public Reply sequence() {
        op(Compound.OP_SEQUENCE);
        in.skip(16 + 4 * 5);
        return this;
    }

    public byte[] getfh() {
        op(Compound.OP_GETFH);
        return in.opaque();
    }

    public Compound.StateIdBytes open() {
        op(Compound.OP_OPEN);
        Compound.StateIdBytes sid = new Compound.StateIdBytes(in.i32(), in.fixed(12));
        in.skip(4 + 16 + 4); // change_info4, rflags
        in.skipBitmap();     // attrset
        int deleg = in.i32();
        switch (deleg) {
            case 0 -> {
            }
            case 1, 2 -> {
                in.skip(16 + 4);                 // stateid, recall
                if (deleg == 2) {
                    in.skip(4 + 8);              // space limit
                }
                in.skip(12);                     // nfsace4 type, flag, mask
                in.skipOpaque();                 // who
            }
            case 3 -> {
                int why = in.i32();
                if (why == 1 || why == 2) {
                    in.i32();
                }
            }
            default -> throw new IllegalStateException("delegation type " + deleg);
        }
        return sid;
    }

    /** READ4resok: returns the data length, leaves the data unread. */
    public int read() {
        op(Compound.OP_READ);
        in.i32(); // eof
        return in.i32();
    }

    public static final class NfsError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        public final int status;

        public NfsError(int op, int status) {
            super("op " + op + " failed with NFS status " + status);
            this.status = status;
        }
    }
}
