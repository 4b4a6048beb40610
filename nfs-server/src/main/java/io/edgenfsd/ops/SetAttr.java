package io.edgenfsd.ops;

import io.edgenfsd.compound.NfsErrorWithBody;
import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.state.Delegations;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.StateId;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.Posix;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.SetAttrs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;


/** SETATTR (RFC 8881 section 18.30). The result carries the attributes set, also on error. */
public final class SetAttr implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId stateId = StateId.decode(in);
        SetAttrs attrs = decode(in);
        Inode i;
        ExportOptions opts;
        Delegations.Conflict conflict;
        try {
            i = ctx.current();
            opts = ctx.enterForWrite(i);
            // another client's attribute change recalls delegations on the file (RFC 8881 10.4.6)
            conflict = ctx.server().delegations().conflict(ctx.client(), i.key(), true);
        } catch (NfsException e) {
            throw withEmptyBitmap(e);
        }
        try (conflict) {
            out.writeBitmap(apply(ctx, i, attrs, stateId, opts));
        }
    }

    static SetAttrs decode(XdrDecoder in) throws NfsException {
        try {
            return SetAttrs.decode(in);
        } catch (SetAttrs.Refused r) {
            throw withEmptyBitmap(new NfsException(r.unsupported ? NfsStatus.ATTRNOTSUPP : NfsStatus.INVAL,
                    r.getMessage()));
        }
    }

    static NfsException withEmptyBitmap(NfsException e) {
        return new NfsErrorWithBody(e.status(), e.getMessage(), o -> o.writeInt(0));
    }

    /**
     * Applies attributes in a fixed order (size, mode, owner, times) and returns the bitmap of those set.
     * Used by SETATTR and by CREATE/OPEN for the attributes sent with a create.
     */
    static int[] apply(CompoundContext ctx, Inode i, SetAttrs a, StateId stateId, ExportOptions opts)
            throws NfsException {
        LocalFs fs = ctx.server().fs();
        int[] done = new int[2];
        try {
            int uid = -1;
            int gid = -1;
            if (a.owner() != null) {
                uid = ctx.server().ids().parseUser(a.owner())
                        .orElseThrow(() -> new NfsException(NfsStatus.BADOWNER, "unknown owner " + a.owner()));
            }
            if (a.ownerGroup() != null) {
                gid = ctx.server().ids().parseGroup(a.ownerGroup())
                        .orElseThrow(() -> new NfsException(NfsStatus.BADOWNER, "unknown group " + a.ownerGroup()));
            }
            if (a.size() != null) {
                int type = fs.type(i);
                if (type == Stat.S_IFDIR) {
                    throw new NfsException(NfsStatus.ISDIR);
                }
                if (type != Stat.S_IFREG) {
                    throw new NfsException(NfsStatus.INVAL, "size of a non-regular file");
                }
                OpenState open = stateId == null ? null : IoState.check(ctx, stateId, i, true);
                // with an OPEN for writing, permission was checked then (the owner may truncate a file it
                // created read-only); otherwise the caller needs write permission now
                fs.setSize(i, a.size(), open != null);
                set(done, Attributes.SIZE);
            }
            if (a.mode() != null) {
                fs.setMode(i, a.mode());
                set(done, Attributes.MODE);
            }
            if (uid != -1 || gid != -1) {
                Stat st = fs.stat(i);
                // chown to the current owner/group needs no privilege; skip the call so it cannot fail
                fs.setOwner(i, uid == st.uid() ? -1 : uid, gid == st.gid() ? -1 : gid);
                if (uid != -1) {
                    set(done, Attributes.OWNER);
                }
                if (gid != -1) {
                    set(done, Attributes.OWNER_GROUP);
                }
            }
            if (a.atimeNs() != null || a.mtimeNs() != null) {
                fs.setTimes(i, time(a.atimeNs()), time(a.mtimeNs()));
                if (a.atimeNs() != null) {
                    set(done, Attributes.TIME_ACCESS_SET);
                }
                if (a.mtimeNs() != null) {
                    set(done, Attributes.TIME_MODIFY_SET);
                }
            }
        } catch (NfsException e) {
            int[] partial = done.clone();
            throw new NfsErrorWithBody(e.status(), e.getMessage(), o -> o.writeBitmap(partial));
        }
        if (done[0] == 0 && done[1] == 0) {
            // nothing changed (an empty SETATTR, or a create whose attributes were all applied by the create
            // itself): no change to record and nothing to make durable; the create syncs its directory
            return done;
        }
        fs.modified(i);
        if (opts.sync()) {
            ctx.asServer();
            fs.sync(i, true);
        }
        return done;
    }

    private static void set(int[] bitmap, int bit) {
        bitmap[bit / 32] |= 1 << (bit % 32);
    }

    private static long time(Long ns) {
        if (ns == null) {
            return Posix.UTIME_OMIT;
        }
        return ns == SetAttrs.SERVER_TIME ? Posix.UTIME_NOW : ns;
    }
}
