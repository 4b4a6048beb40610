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

import java.nio.file.Path;
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
        Stat fromStat = fs.lstat(from.path());
        Stat toStat = fs.lstat(to.path());
        if (!fromStat.isDirectory() || !toStat.isDirectory()) {
            throw new NfsException(NfsStatus.NOTDIR);
        }
        Path src = from.path().resolve(oldName);
        Path dst = to.path().resolve(newName);
        if (fs.exports().byPath(src.toString()).isPresent() || fs.exports().byPath(dst.toString()).isPresent()) {
            throw new NfsException(NfsStatus.XDEV, "export roots cannot be renamed");
        }
        long srcBefore;
        long srcAfter;
        long dstBefore;
        long dstAfter;
        ReentrantLock[] locks = DirLocks.ofPair(fromStat.key(), toStat.key());
        for (ReentrantLock l : locks) {
            l.lock();
        }
        Stat replaced = null;
        try {
            srcBefore = fs.lstat(from.path()).change();
            dstBefore = fs.lstat(to.path()).change();
            Stat moving = fs.lstat(src);
            try {
                replaced = fs.lstat(dst);
            } catch (NfsException e) {
                replaced = null;
            }
            if (replaced == null || replaced.ino() != moving.ino() || replaced.dev() != moving.dev()) {
                // renaming a file, or over one, that others hold delegations on recalls them (10.4.6)
                try (var c1 = ctx.server().delegations().conflict(ctx.client(), moving.key(), true);
                     var c2 = replaced == null ? null
                             : ctx.server().delegations().conflict(ctx.client(), replaced.key(), true)) {
                    fs.rename(src, dst);
                }
                fs.modified(from.path());
                fs.modified(to.path());
                fs.modified(dst);
            } else {
                replaced = null; // two names of one file: success with no change (section 18.26.4)
            }
            srcAfter = fs.lstat(from.path()).change();
            dstAfter = fs.lstat(to.path()).change();
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
            fs.syncDirectory(from.path());
            if (!from.path().equals(to.path())) {
                fs.syncDirectory(to.path());
            }
        }
        OpSupport.changeInfo(out, srcBefore, srcAfter);
        OpSupport.changeInfo(out, dstBefore, dstAfter);
    }
}
