package io.edgenfsd.client;

import io.edgenfsd.status.NfsStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * COMPOUND4res decoded op by op. An operation's body is decoded when its status is OK, and for the few
 * errors that carry one (LOCK/LOCKT DENIED, SETATTR's attrsset).
 */
public record CompoundReply(NfsStatus status, String tag, List<Result> results, RpcResult rpc) {

    /** One resop4: opcode, status and the decoded body (null when there is none). */
    public record Result(int opcode, NfsStatus status, Object body) {
        public <T> T as(Class<T> type) {
            return type.cast(body);
        }
    }

    public static CompoundReply decode(RpcResult rpc) {
        if (!rpc.accepted() || rpc.acceptStat() != RpcResult.SUCCESS) {
            throw new IllegalStateException("RPC not accepted: accepted=" + rpc.accepted() + " acceptStat="
                    + rpc.acceptStat() + " rejectStat=" + rpc.rejectStat() + " authStat=" + rpc.authStat());
        }
        XdrIn in = new XdrIn(rpc.results());
        NfsStatus status = NfsStatus.of(in.int32());
        String tag = in.string();
        int n = in.int32();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int opcode = in.int32();
            NfsStatus st = NfsStatus.of(in.int32());
            results.add(new Result(opcode, st, body(opcode, st, in)));
        }
        if (in.remaining() != 0) {
            throw new IllegalStateException(in.remaining() + " bytes after the last result");
        }
        return new CompoundReply(status, tag, results, rpc);
    }

    private static Object body(int opcode, NfsStatus st, XdrIn in) {
        if (st != NfsStatus.OK) {
            if (st == NfsStatus.DENIED && (opcode == Op.LOCK || opcode == Op.LOCKT)) {
                return new Res.LockDenied(in.int64(), in.int64(), in.int32(), in.int64(), in.opaque());
            }
            if (opcode == Op.SETATTR) {
                return in.bitmap();
            }
            return null;
        }
        return switch (opcode) {
            case Op.SEQUENCE -> new Res.Sequence(in.fixed(16), in.int32(), in.int32(), in.int32(), in.int32(),
                    in.int32());
            case Op.EXCHANGE_ID -> exchangeId(in);
            case Op.CREATE_SESSION -> createSession(in);
            case Op.PUTFH, Op.PUTROOTFH, Op.PUTPUBFH, Op.LOOKUP, Op.LOOKUPP, Op.SAVEFH, Op.RESTOREFH, Op.VERIFY,
                    Op.NVERIFY, Op.DESTROY_SESSION, Op.DESTROY_CLIENTID, Op.RECLAIM_COMPLETE, Op.FREE_STATEID,
                    Op.DELEGRETURN, Op.LOCKT, Op.ALLOCATE, Op.DEALLOCATE, Op.CLONE -> null;
            case Op.SEEK -> new Res.Seek(in.bool(), in.int64());
            case Op.READ_PLUS -> readPlus(in);
            case Op.GETXATTR -> in.opaque();
            case Op.SETXATTR, Op.REMOVEXATTR -> Res.ChangeInfo.decode(in);
            case Op.LISTXATTRS -> listXattrs(in);
            case Op.COPY -> new Res.Copy(in.int32(), in.int64(), in.int32(), in.fixed(8), in.bool(), in.bool());
            case Op.GETFH -> in.opaque();
            case Op.GETATTR -> Fattr.decode(in);
            case Op.SETATTR -> in.bitmap();
            case Op.ACCESS -> new Res.Access(in.int32(), in.int32());
            case Op.OPEN -> open(in);
            case Op.CLOSE, Op.OPEN_DOWNGRADE, Op.LOCK, Op.LOCKU -> Stateid.decode(in);
            case Op.READ -> new Res.Read(in.bool(), in.opaque());
            case Op.WRITE -> new Res.Write(in.int32(), in.int32(), in.fixed(8));
            case Op.COMMIT -> in.fixed(8);
            case Op.CREATE -> new Res.Create(Res.ChangeInfo.decode(in), in.bitmap());
            case Op.REMOVE, Op.LINK -> Res.ChangeInfo.decode(in);
            case Op.RENAME -> new Res.Rename(Res.ChangeInfo.decode(in), Res.ChangeInfo.decode(in));
            case Op.READLINK -> in.string();
            case Op.READDIR -> readdir(in);
            case Op.TEST_STATEID -> {
                int[] codes = new int[in.int32()];
                for (int i = 0; i < codes.length; i++) {
                    codes[i] = in.int32();
                }
                yield codes;
            }
            case Op.SECINFO, Op.SECINFO_NO_NAME -> {
                int[] flavors = new int[in.int32()];
                for (int i = 0; i < flavors.length; i++) {
                    flavors[i] = in.int32();
                }
                yield flavors;
            }
            case Op.BIND_CONN_TO_SESSION -> {
                byte[] sid = in.fixed(16);
                int dir = in.int32();
                in.bool();
                yield new Res.BindConn(sid, dir);
            }
            default -> throw new IllegalStateException("no decoder for successful op " + opcode);
        };
    }

    private static Res.ExchangeId exchangeId(XdrIn in) {
        long clientId = in.int64();
        int seq = in.int32();
        int flags = in.int32();
        int how = in.int32();
        int[] enforce = new int[0];
        int[] allow = new int[0];
        if (how == 1) {
            enforce = in.bitmap();
            allow = in.bitmap();
        } else if (how != 0) {
            throw new IllegalStateException("state protection " + how);
        }
        in.int64();
        in.opaque();
        in.opaque();
        int impl = in.int32();
        for (int i = 0; i < impl; i++) {
            in.string();
            in.string();
            in.int64();
            in.int32();
        }
        return new Res.ExchangeId(clientId, seq, flags, how, enforce, allow);
    }

    private static Res.CreateSession createSession(XdrIn in) {
        byte[] sid = in.fixed(16);
        int seq = in.int32();
        int flags = in.int32();
        int[] fore = channelAttrs(in);
        channelAttrs(in);
        return new Res.CreateSession(sid, seq, flags, fore[5], fore[4], fore[3]);
    }

    private static int[] channelAttrs(XdrIn in) {
        int[] a = new int[6];
        for (int i = 0; i < 6; i++) {
            a[i] = in.int32();
        }
        int rdma = in.int32();
        for (int i = 0; i < rdma; i++) {
            in.int32();
        }
        return a;
    }

    private static Res.Open open(XdrIn in) {
        Stateid sid = Stateid.decode(in);
        Res.ChangeInfo ci = Res.ChangeInfo.decode(in);
        int rflags = in.int32();
        int[] attrset = in.bitmap();
        int deleg = in.int32();
        Stateid delegation = null;
        int why = -1;
        if (deleg == 3) {
            why = in.int32();
            if (why == 1 || why == 2) {
                in.bool();
            }
        } else if (deleg == 1 || deleg == 2) {
            delegation = Stateid.decode(in);
            in.bool(); // recall
            if (deleg == 2 && in.int32() == 1) {
                in.int64(); // NFS_LIMIT_SIZE
            } else if (deleg == 2) {
                in.int32(); // NFS_LIMIT_BLOCKS
                in.int32();
            }
            in.int32(); // permissions ACE: type, flag, mask, who
            in.int32();
            in.int32();
            in.opaque();
        } else if (deleg != 0) {
            throw new IllegalStateException("delegation type " + deleg + " not decoded by the test client");
        }
        return new Res.Open(sid, ci, rflags, attrset, deleg, delegation, why);
    }

    private static Res.ReadDir readdir(XdrIn in) {
        byte[] verifier = in.fixed(8);
        List<Res.DirEntry> entries = new ArrayList<>();
        while (in.bool()) {
            long cookie = in.int64();
            String name = in.string();
            entries.add(new Res.DirEntry(cookie, name, Fattr.decode(in)));
        }
        return new Res.ReadDir(verifier, entries, in.bool());
    }

    public Result get(int index) {
        return results.get(index);
    }

    public Result last() {
        return results.get(results.size() - 1);
    }

    /** The first result of the given opcode. */
    public Result op(int opcode) {
        return results.stream().filter(r -> r.opcode() == opcode).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for op " + opcode + " in " + this));
    }

    public <T> T body(int opcode, Class<T> type) {
        return op(opcode).as(type);
    }

    /** Throws {@link NfsError} when the compound did not succeed. */
    public CompoundReply orThrow() {
        if (status != NfsStatus.OK) {
            throw new NfsError(status, "compound failed at op " + last().opcode() + " with " + status);
        }
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(status.name()).append(" [");
        for (Result r : results) {
            sb.append(' ').append(r.opcode()).append('=').append(r.status());
        }
        return sb.append(" ]").toString();
    }

    /** READ_PLUS4resok: eof, then segments; holes (type 1) are read back as zeros of their length. */
    private static Res.ReadPlus readPlus(XdrIn in) {
        boolean eof = in.bool();
        int n = in.int32();
        java.util.List<Res.ReadPlus.Segment> segs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int type = in.int32();
            long offset = in.int64();
            if (type == 0) {
                segs.add(new Res.ReadPlus.Segment(offset, in.opaque()));
            } else {
                segs.add(new Res.ReadPlus.Segment(offset, new byte[(int) in.int64()]));
            }
        }
        return new Res.ReadPlus(eof, segs);
    }

    private static Res.ListXattrs listXattrs(XdrIn in) {
        long cookie = in.int64();
        int n = in.int32();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(in.string());
        }
        return new Res.ListXattrs(cookie, names, in.bool());
    }
}
