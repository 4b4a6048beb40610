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

/** LINK (RFC 8881 section 18.9): saved filehandle is the file, current the target directory. */
public final class Link implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        String name = OpSupport.component(in);
        Inode file = ctx.saved();
        Inode dir = ctx.current();
        if (file.isPseudo() || dir.isPseudo()) {
            throw new NfsException(NfsStatus.ROFS);
        }
        if (file.export() != dir.export()) {
            throw new NfsException(NfsStatus.XDEV);
        }
        ExportOptions opts = ctx.enterForWrite(dir);
        LocalFs fs = ctx.server().fs();
        if (fs.type(dir) != Stat.S_IFDIR) {
            throw new NfsException(NfsStatus.NOTDIR);
        }
        if (fs.type(file) == Stat.S_IFDIR) {
            throw new NfsException(NfsStatus.ISDIR);
        }
        long before;
        long after;
        ReentrantLock lock = DirLocks.of(dir.key());
        lock.lock();
        try {
            before = fs.stat(dir).change();
            // a new name of a file others hold delegations on recalls them (RFC 8881 10.4.6)
            try (var conflict = ctx.server().delegations().conflict(ctx.client(), file.key(), true)) {
                fs.link(file, dir, name);
            }
            after = fs.stat(dir).change();
        } finally {
            lock.unlock();
        }
        if (opts.sync()) {
            ctx.asServer();
            fs.syncDirectory(dir);
        }
        OpSupport.changeInfo(out, before, after);
    }
}
