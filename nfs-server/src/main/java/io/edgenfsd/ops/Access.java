package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.export.SquashedCredentials;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * ACCESS (RFC 8881 section 18.1): what the caller may do, from mode bits and the squashed identity, as
 * the kernel would decide. The kernel still enforces each real operation.
 */
public final class Access implements Operation {
    static final int READ = 0x01;
    static final int LOOKUP = 0x02;
    static final int MODIFY = 0x04;
    static final int EXTEND = 0x08;
    static final int DELETE = 0x10;
    static final int EXECUTE = 0x20;
    /** RFC 8276 section 8.4.1 (NFSv4.2 only): read, write and list user extended attributes. */
    static final int XAREAD = 0x40;
    static final int XAWRITE = 0x80;
    static final int XALIST = 0x100;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int requested = in.readInt() & (ctx.minorVersion() >= 2 ? 0x1FF : 0x3F);
        Inode i = ctx.current();
        ExportOptions opts = ctx.enter(i);
        ctx.asServer();
        Stat st = ctx.server().fs().stat(i);
        SquashedCredentials who = ctx.effectiveCredentials(i);
        int granted = allowed(st, who, requested);
        if (i.isPseudo() || opts.readOnly()) {
            granted &= ~(MODIFY | EXTEND | DELETE | XAWRITE);
        }
        out.writeInt(requested).writeInt(granted & requested);
    }

    static int allowed(Stat st, SquashedCredentials who, int requested) {
        int g = modeBits(st, who);
        // user.* xattrs as Linux allows them (xattr_permission): only on regular files and directories, read
        // and list with read permission, write with write permission, and on a sticky directory only by
        // its owner (root aside); the kernel enforces each real call again
        if (st.isRegular() || st.isDirectory()) {
            if ((g & READ) != 0) {
                g |= XAREAD | XALIST;
            }
            boolean stickyNotOwner = st.isDirectory() && (st.mode() & 01000) != 0 && who.uid() != 0
                    && who.uid() != st.uid();
            if ((g & MODIFY) != 0 && !stickyNotOwner) {
                g |= XAWRITE;
            }
        }
        return g;
    }

    private static int modeBits(Stat st, SquashedCredentials who) {
        int mode = st.mode();
        boolean anyExec = (mode & 0111) != 0;
        if (who.uid() == 0) {
            int all = READ | LOOKUP | MODIFY | EXTEND | DELETE;
            if (st.isDirectory() || anyExec) {
                all |= EXECUTE;
            }
            return all;
        }
        int bits;
        if (st.uid() == who.uid()) {
            bits = (mode >> 6) & 7;
        } else if (inGroup(st.gid(), who)) {
            bits = (mode >> 3) & 7;
        } else {
            bits = mode & 7;
        }
        int g = 0;
        if ((bits & 4) != 0) {
            g |= READ;
        }
        if ((bits & 2) != 0) {
            g |= MODIFY | EXTEND;
            if (st.isDirectory()) {
                g |= DELETE;
            }
        }
        if ((bits & 1) != 0) {
            g |= LOOKUP | EXECUTE;
        }
        return g;
    }

    private static boolean inGroup(int gid, SquashedCredentials who) {
        if (who.gid() == gid) {
            return true;
        }
        for (int g : who.gids()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }
}
