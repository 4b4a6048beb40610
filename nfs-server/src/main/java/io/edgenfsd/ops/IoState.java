package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.state.Delegation;
import io.edgenfsd.state.LockState;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.State;
import io.edgenfsd.state.StateId;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;

/** The stateid checks of READ, WRITE and SETATTR(size) (RFC 8881 section 8.2.2, 9.1.4). */
final class IoState {
    private IoState() {
    }

    /**
     * Returns the open that authorises the I/O, or null for the anonymous and READ-bypass stateids, with
     * which the caller's own permissions apply. The READ-bypass (all-ones) stateid in a WRITE, SETATTR or
     * another modifying operation such as ALLOCATE "is treated like the anonymous value" (section 8.2.3).
     */
    static OpenState check(CompoundContext ctx, StateId given, Inode file, boolean write) throws NfsException {
        StateId id = ctx.resolveStateId(given);
        if (id.isAnonymous() || id.isReadBypass()) {
            if (write) {
                // a write outside any open still conflicts with others' delegations (section 10.4)
                ctx.server().delegations().conflict(ctx.client(), file.key(), true).close();
            } else if (ctx.server().delegations().writeHeldByOther(ctx.client(), file.key()) != null) {
                // so does a read while another client may hold unwritten data under a write delegation
                ctx.server().delegations().conflict(ctx.client(), file.key(), false).close();
            }
            return null;
        }
        if (id.isSpecial()) {
            throw new NfsException(NfsStatus.BAD_STATEID, "special stateid not usable here");
        }
        Delegation d = ctx.server().delegations().find(id, ctx.client());
        if (d != null) {
            if (!d.file().sameInode(file.key())) {
                throw new NfsException(NfsStatus.BAD_STATEID, "delegation is for another file");
            }
            if (write && d.type() != Delegation.WRITE) {
                throw new NfsException(NfsStatus.OPENMODE, "write with a read delegation");
            }
            return null; // I/O under a delegation: the caller's own permissions apply, as with no open
        }
        State st = ctx.server().state().find(id, ctx.client());
        OpenState open = st instanceof LockState l ? l.open() : (OpenState) st;
        if (!open.file().equals(file.key())) {
            throw new NfsException(NfsStatus.BAD_STATEID, "stateid is for another file");
        }
        if (write && (open.access() & OpenState.ACCESS_WRITE) == 0) {
            throw new NfsException(NfsStatus.OPENMODE, "file not open for writing");
        }
        return open;
    }

    /**
     * The checks COPY and CLONE share (RFC 7862 sections 15.2.3, 15.13.3): regular files both, the source
     * readable under {@code srcId}, the destination writable under {@code dstId} on a writable export;
     * without an open the caller's own permissions. Returns the destination export's options.
     */
    static ExportOptions checkTransfer(CompoundContext ctx, StateId srcId, Inode src, StateId dstId, Inode dst)
            throws NfsException {
        ctx.enter(src);
        OpSupport.requireRegular(ctx.server().fs().type(src));
        if (check(ctx, srcId, src, false) == null) {
            ctx.server().fs().checkAccess(src, LocalFs.R_OK);
        }
        ExportOptions opts = ctx.enterForWrite(dst);
        OpSupport.requireRegular(ctx.server().fs().type(dst));
        if (check(ctx, dstId, dst, true) == null) {
            ctx.server().fs().checkAccess(dst, LocalFs.W_OK);
        }
        return opts;
    }
}
