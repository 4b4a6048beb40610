package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.SetAttrs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.concurrent.locks.ReentrantLock;

/**
 * CREATE (RFC 8881 section 18.4): directories, symlinks, fifos, sockets and devices (regular files are
 * made by OPEN). Created with the caller's identity, so ownership and setgid inheritance are the kernel's.
 */
public final class Create implements Operation {
    static final int NF4BLK = 3;
    static final int NF4CHR = 4;
    static final int NF4LNK = 5;
    static final int NF4SOCK = 6;
    static final int NF4FIFO = 7;
    static final int NF4DIR = 2;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int type = in.readInt();
        String linkText = null;
        long rdev = 0;
        switch (type) {
            case NF4LNK -> linkText = in.readString(4096);
            case NF4BLK, NF4CHR -> rdev = Attributes.makedev(in.readInt(), in.readInt());
            case NF4SOCK, NF4FIFO, NF4DIR -> {
            }
            default -> throw new NfsException(NfsStatus.BADTYPE, "cannot CREATE type " + type);
        }
        String name = OpSupport.component(in);
        SetAttrs attrs = SetAttr.decode(in);
        Inode dir = ctx.current();
        ExportOptions opts = ctx.enterForWrite(dir);
        LocalFs fs = ctx.server().fs();
        if (fs.type(dir) != Stat.S_IFDIR) {
            throw new NfsException(NfsStatus.NOTDIR);
        }
        if (linkText != null && linkText.isEmpty()) {
            throw new NfsException(NfsStatus.INVAL, "empty symlink text");
        }
        int mode = attrs.mode() != null ? attrs.mode() : (type == NF4DIR ? 0755 : 0644);
        long before;
        long after;
        Inode created;
        ReentrantLock lock = DirLocks.of(dir.key());
        lock.lock();
        try {
            before = fs.stat(dir).change();
            created = switch (type) {
                case NF4DIR -> fs.mkdir(dir, name, mode);
                case NF4LNK -> fs.symlink(dir, name, linkText);
                case NF4FIFO -> fs.mknod(dir, name, Stat.S_IFIFO | mode, 0);
                case NF4SOCK -> fs.mknod(dir, name, Stat.S_IFSOCK | mode, 0);
                case NF4BLK -> fs.mknod(dir, name, Stat.S_IFBLK | mode, rdev);
                default -> fs.mknod(dir, name, Stat.S_IFCHR | mode, rdev);
            };
            fs.modified(dir);
            after = fs.stat(dir).change();
        } finally {
            lock.unlock();
        }
        SetAttrs rest = new SetAttrs(attrs.bitmap(), attrs.size(), null, attrs.owner(), attrs.ownerGroup(),
                attrs.atimeNs(), attrs.mtimeNs());
        boolean more = rest.owner() != null || rest.ownerGroup() != null || rest.atimeNs() != null
                || rest.mtimeNs() != null;
        int[] set = more && type != NF4LNK ? SetAttr.apply(ctx, created, rest, null, opts) : new int[0];
        if (attrs.mode() != null) {
            set = orBitmaps(set, Attributes.bitmap(Attributes.MODE));
        }
        if (opts.sync()) {
            ctx.asServer();
            fs.syncDirectory(dir);
        }
        OpSupport.changeInfo(out, before, after);
        out.writeBitmap(set);
        ctx.setCurrent(created);
    }

    static int[] orBitmaps(int[] a, int[] b) {
        int[] r = new int[Math.max(a.length, b.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = (i < a.length ? a[i] : 0) | (i < b.length ? b[i] : 0);
        }
        return r;
    }
}
