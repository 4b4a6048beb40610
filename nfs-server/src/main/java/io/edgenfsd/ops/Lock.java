package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.ClientRecord;
import io.edgenfsd.state.LockOwner;
import io.edgenfsd.state.LockState;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.State;
import io.edgenfsd.state.StateId;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;


/**
 * LOCK (RFC 8881 section 18.10): POSIX byte-range locks among NFS lock-owners. Blocking types are
 * answered at once (DENIED); the Linux client retries, as it does with knfsd without CB_NOTIFY_LOCK.
 */
public final class Lock implements Operation {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Lock.class);

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int type = in.readInt();
        boolean reclaim = in.readBool();
        long offset = in.readLong();
        long length = in.readLong();
        boolean newOwner = in.readBool();
        StateId openId = null;
        StateId lockId = null;
        LockOwner owner = null;
        if (newOwner) {
            in.readInt(); // open_seqid
            openId = StateId.decode(in);
            in.readInt(); // lock_seqid
            owner = new LockOwner(in.readLong(), in.readOpaque(1024));
        } else {
            lockId = StateId.decode(in);
            in.readInt(); // lock_seqid
        }
        boolean write = LockSupport.isWrite(type);
        long end = LockSupport.end(offset, length);
        Inode file = ctx.current();
        ctx.enter(file);
        ClientRecord client = ctx.client();
        StateManager state = ctx.server().state();
        state.checkGrace(client, reclaim);
        OpenState open;
        LockState existing = null;
        if (newOwner) {
            // 4.1: the owner's clientid is ignored; the client is the session's (RFC 8881 18.10.3)
            owner = new LockOwner(client.clientId(), owner.owner());
            State st = state.find(ctx.resolveStateId(openId), client);
            if (!(st instanceof OpenState o)) {
                throw new NfsException(NfsStatus.BAD_STATEID, "open_to_lock_owner needs an open stateid");
            }
            open = o;
        } else {
            State st = state.find(ctx.resolveStateId(lockId), client);
            if (!(st instanceof LockState l)) {
                throw new NfsException(NfsStatus.BAD_STATEID, "exist_lock_owner needs a lock stateid");
            }
            existing = l;
            open = l.open();
        }
        if (!open.file().equals(file.key())) {
            throw new NfsException(NfsStatus.BAD_STATEID, "stateid is for another file");
        }
        if (write && (open.access() & OpenState.ACCESS_WRITE) == 0) {
            throw new NfsException(NfsStatus.OPENMODE, "write lock on a file not open for writing");
        }
        StateManager.LockResult r = state.lock(client, open, owner, existing, write, offset, end);
        if (r.conflict() != null) {
            throw LockSupport.denied(r.conflict());
        }
        StateId result = r.granted();
        LOG.debug("LOCK {} new={} {} [{}, +{}) -> {}", file, newOwner,
                write ? "W" : "R", offset, length, result);
        result.encode(out);
        ctx.setCurrentStateId(result);
    }
}
