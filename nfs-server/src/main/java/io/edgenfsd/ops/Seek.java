package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * SEEK (RFC 7862 section 15.11): the next data or hole at or after an offset, by lseek(2) SEEK_DATA or
 * SEEK_HOLE. An offset at or past the end, or no data after it, is NFS4ERR_NXIO (section 15.11.3).
 */
public final class Seek implements Operation {
    static final int CONTENT_DATA = 0;
    static final int CONTENT_HOLE = 1;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = StateId.decode(in);
        long offset = in.readLong();
        int what = in.readInt();
        if (what != CONTENT_DATA && what != CONTENT_HOLE) {
            throw new NfsException(NfsStatus.UNION_NOTSUPP, "data_content4 " + what);
        }
        Inode file = ctx.current();
        ctx.enter(file);
        if (file.isPseudo()) {
            throw new NfsException(NfsStatus.ISDIR);
        }
        OpSupport.requireRegular(ctx.server().fs().type(file));
        OpenState open = IoState.check(ctx, id, file, false);
        if (open == null) {
            ctx.server().fs().checkAccess(file, LocalFs.R_OK); // anonymous stateid: the file's permissions
        }
        if (offset < 0) {
            throw new NfsException(NfsStatus.NXIO, "offset beyond the largest file size");
        }
        long pos = ctx.server().fs().seek(file, offset, what == CONTENT_DATA);
        long size = ctx.server().fs().stat(file).size();
        out.writeBool(pos >= size); // sr_eof: the answer is the end of the file (a hole there is implicit)
        out.writeLong(pos);
    }
}
