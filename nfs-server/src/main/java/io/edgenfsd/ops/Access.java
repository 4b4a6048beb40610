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

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int requested = in.readInt() & 0x3F;
        Inode i = ctx.current();
        ExportOptions opts = ctx.enter(i);
        ctx.asServer();
        Stat st = ctx.server().fs().stat(i);
        SquashedCredentials who = ctx.effectiveCredentials(i);
        int granted = allowed(st, who, requested);
        if (i.isPseudo() || opts.readOnly()) {
            granted &= ~(MODIFY | EXTEND | DELETE);
        }
        out.writeInt(requested).writeInt(granted & requested);
    }

    static int allowed(Stat st, SquashedCredentials who, int requested) {
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
