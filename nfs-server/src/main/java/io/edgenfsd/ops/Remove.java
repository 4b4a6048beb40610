package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.concurrent.locks.ReentrantLock;

/** REMOVE (RFC 8881 section 18.25): unlink or rmdir, as the caller. */
public final class Remove implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        String name = OpSupport.component(in);
        Inode dir = ctx.current();
        ExportOptions opts = ctx.enterForWrite(dir);
        ctx.server().state().checkNotInGrace();
        LocalFs fs = ctx.server().fs();
        if (fs.type(dir) != Stat.S_IFDIR) {
            throw new NfsException(NfsStatus.NOTDIR);
        }
        long before;
        long after;
        Stat victim;
        ReentrantLock lock = DirLocks.of(dir.key());
        lock.lock();
        try {
            before = fs.stat(dir).change();
            Stat target = fs.statIfExists(dir, name);
            // removing a name of a file others hold delegations on recalls them (RFC 8881 10.4.6)
            try (var conflict = target == null ? null
                    : ctx.server().delegations().conflict(ctx.client(), target.key(), true)) {
                victim = fs.remove(dir, name);
            }
            fs.modified(dir);
            after = fs.stat(dir).change();
        } finally {
            lock.unlock();
        }
        if (victim.nlink() <= 1 || victim.isDirectory()) {
            ctx.server().openFiles().forget(victim.key());
        }
        if (opts.sync()) {
            ctx.asServer();
            fs.syncDirectory(dir);
        }
        OpSupport.changeInfo(out, before, after);
    }
}
