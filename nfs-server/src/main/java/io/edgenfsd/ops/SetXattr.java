package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * SETXATTR (RFC 8276 section 8.4.2): sets a {@code user.} extended attribute as the caller (fsetxattr; the
 * kernel checks write permission). SETXATTR4_CREATE and _REPLACE map to XATTR_CREATE and XATTR_REPLACE.
 */
public final class SetXattr implements Operation {
    private static final int EITHER = 0;
    private static final int REPLACE = 2;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int option = in.readInt();
        String name = OpSupport.component(in);
        byte[] value = in.readOpaque(LocalFs.MAX_XATTR + 1);
        if (option < EITHER || option > REPLACE) {
            throw new NfsException(NfsStatus.INVAL, "setxattr_option4 " + option);
        }
        Inode file = ctx.current();
        ctx.enterForWrite(file);
        LocalFs fs = ctx.server().fs();
        long before = fs.stat(file).change();
        fs.setXattr(file, name, value, option); // the same values as XATTR_CREATE (1) and XATTR_REPLACE (2)
        fs.modified(file);
        OpSupport.changeInfo(out, before, fs.stat(file).change());
    }
}
