package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.state.Delegation;
import io.edgenfsd.state.Delegations;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETATTR of a file another client holds a write delegation on (RFC 8881 section 10.4.3): the holder may
 * have written data the server has not seen, so its size and change attribute are asked with CB_GETATTR
 * (section 20.1) before answering. A holder that modified the file makes the server's change attribute
 * move; the size is the holder's. A holder that does not answer in time has the delegation recalled and
 * the caller gets NFS4ERR_DELAY. The wait runs on a worker: on the event loop the GETATTR moves there first.
 */
final class HolderAttrs {
    /** How long a GETATTR waits for the holder's CB_GETATTR reply. */
    static final long WAIT_MS = 2000;

    private HolderAttrs() {
    }

    static Stat of(CompoundContext ctx, Inode i, Stat st, int[] requested) throws NfsException {
        if (!st.isRegular() || !Attributes.isSet(requested, Attributes.CHANGE)
                && !Attributes.isSet(requested, Attributes.SIZE)) {
            return st;
        }
        Delegations delegations = ctx.server().delegations();
        Delegation d = delegations.writeHeldByOther(ctx.client(), i.key());
        if (d == null) {
            return st;
        }
        ctx.mayWait(); // CB_GETATTR waits for the holder
        long[] holder;
        try {
            holder = delegations.askHolder(d).get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NfsException(NfsStatus.DELAY, "interrupted waiting for CB_GETATTR");
        } catch (ExecutionException | TimeoutException e) {
            // no usable answer: recall (NFS4ERR_DELAY while it is out); a delegation since gone lets us go on
            delegations.conflict(ctx.client(), i.key(), false).close();
            return ctx.server().fs().stat(i);
        }
        Stat now = st;
        if (d.holderReports(holder[0], holder[1])) {
            ctx.server().fs().modified(i);
            now = ctx.server().fs().stat(i);
        }
        return new Stat(now.dev(), now.ino(), now.mode(), now.nlink(), now.uid(), now.gid(), now.rdev(), holder[1],
                now.spaceUsed(), now.atimeNs(), now.mtimeNs(), now.ctimeNs(), now.change());
    }
}
