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

/**
 * RENAME (RFC 8881 section 18.26): saved filehandle is the source directory, current the target. It
 * replaces an existing target atomically, as rename(2) does.
 */
public final class Rename implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        String oldName = OpSupport.component(in);
        String newName = OpSupport.component(in);
        Inode from = ctx.saved();
        Inode to = ctx.current();
        if (from.isPseudo() || to.isPseudo() || from.export() != to.export()) {
            throw new NfsException(from.isPseudo() || to.isPseudo() ? NfsStatus.ROFS : NfsStatus.XDEV);
        }
        ExportOptions opts = ctx.enterForWrite(to);
        ctx.server().state().checkNotInGrace();
        LocalFs fs = ctx.server().fs();
        if (fs.type(from) != Stat.S_IFDIR || fs.type(to) != Stat.S_IFDIR) {
            throw new NfsException(NfsStatus.NOTDIR);
        }
        long srcBefore;
        long srcAfter;
        long dstBefore;
        long dstAfter;
        ReentrantLock[] locks = DirLocks.ofPair(from.key(), to.key());
        for (ReentrantLock l : locks) {
            l.lock();
        }
        Stat replaced = null;
        try {
            srcBefore = fs.stat(from).change();
            dstBefore = fs.stat(to).change();
            Stat moving = fs.statIfExists(from, oldName);
            Stat target = fs.statIfExists(to, newName);
            // two names of one file change nothing (section 18.26.4), so they recall nothing
            boolean oneFile = moving != null && target != null && moving.key().sameInode(target.key());
            // renaming a file, or over one, that others hold delegations on recalls them (10.4.6)
            try (var c1 = moving == null || oneFile ? null
                    : ctx.server().delegations().conflict(ctx.client(), moving.key(), true);
                 var c2 = target == null || oneFile ? null
                         : ctx.server().delegations().conflict(ctx.client(), target.key(), true)) {
                replaced = fs.rename(from, oldName, to, newName).replaced();
            }
            srcAfter = fs.stat(from).change();
            dstAfter = fs.stat(to).change();
        } finally {
            for (int i = locks.length - 1; i >= 0; i--) {
                locks[i].unlock();
            }
        }
        if (replaced != null && (replaced.nlink() <= 1 || replaced.isDirectory())) {
            ctx.server().openFiles().forget(replaced.key());
        }
        if (opts.sync()) {
            ctx.asServer();
            fs.syncDirectory(from);
            if (!from.key().sameInode(to.key())) {
                fs.syncDirectory(to);
            }
        }
        OpSupport.changeInfo(out, srcBefore, srcAfter);
        OpSupport.changeInfo(out, dstBefore, dstAfter);
    }
}
