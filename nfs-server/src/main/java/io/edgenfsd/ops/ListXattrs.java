package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * LISTXATTRS (RFC 8276 section 8.4.3): the {@code user.} extended attribute names, sorted; the cookie is
 * the index of the next name. As many names as fit in lxa_maxcount; TOOSMALL when not even one does.
 */
public final class ListXattrs implements Operation {
    /** lxr_cookie, the names array's count and lxr_eof. */
    private static final int FIXED = 8 + 4 + 4;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        long cookie = in.readLong();
        long maxCount = in.readUInt();
        Inode file = ctx.current();
        ctx.enter(file);
        List<String> names = ctx.server().fs().listXattrs(file);
        if (cookie < 0 || cookie > names.size()) {
            throw new NfsException(NfsStatus.BAD_COOKIE, "cookie " + cookie);
        }
        int from = (int) cookie;
        int to = from;
        long size = FIXED;
        while (to < names.size()) {
            long len = 4 + ((names.get(to).getBytes(StandardCharsets.UTF_8).length + 3) & ~3);
            if (size + len > maxCount) {
                break;
            }
            size += len;
            to++;
        }
        if (to == from && from < names.size() || size > maxCount) {
            throw new NfsException(NfsStatus.TOOSMALL, "lxa_maxcount " + maxCount);
        }
        out.writeLong(to);
        out.writeInt(to - from);
        for (int i = from; i < to; i++) {
            out.writeString(names.get(i));
        }
        out.writeBool(to == names.size());
    }
}
