package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.ByteRangeLocks;
import io.edgenfsd.state.LockOwner;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.Optional;

/** LOCKT (RFC 8881 section 18.11): would this lock be granted? */
public final class LockTest implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int type = in.readInt();
        long offset = in.readLong();
        long length = in.readLong();
        in.readLong(); // lock_owner4.clientid: ignored in 4.1, the session names the client (section 18.11.3)
        byte[] ownerBytes = in.readOpaque(1024);
        boolean write = LockSupport.isWrite(type);
        long end = LockSupport.end(offset, length);
        Inode file = ctx.current();
        ctx.enter(file);
        if (file.isPseudo()) {
            throw new NfsException(NfsStatus.ISDIR);
        }
        Stat st = ctx.server().fs().stat(file);
        if (!st.isRegular()) {
            throw new NfsException(st.isDirectory() ? NfsStatus.ISDIR : NfsStatus.INVAL);
        }
        LockOwner owner = new LockOwner(ctx.client().clientId(), ownerBytes);
        Optional<ByteRangeLocks.Lock> c = ctx.server().state().locks().conflict(file.key(), owner, write, offset, end);
        if (c.isPresent()) {
            throw LockSupport.denied(c.get(), ctx.client().clientId());
        }
    }
}
