package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.vfs.Errno;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.io.IOException;

/**
 * COMMIT (RFC 8881 section 18.3): forces UNSTABLE writes to disk. fsync covers the whole file, which is
 * at least the range asked for. The verifier tells the client whether we restarted since its writes.
 */
public final class Commit implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        long offset = in.readLong();
        long count = in.readUInt();
        Inode file = ctx.current();
        ExportOptions opts = ctx.enter(file);
        if (file.isPseudo()) {
            throw new NfsException(NfsStatus.ISDIR);
        }
        OpSupport.requireRegular(ctx.server().fs().type(file));
        if (count != 0 && offset + count < 0) {
            throw new NfsException(NfsStatus.INVAL, "range overflows");
        }
        if (opts.sync()) {
            ctx.asServer();
            try (OpenFiles.Lease lease = ctx.server().openFiles().acquire(file, true)) {
                lease.channel().force(true);
                io.edgenfsd.vfs.SyncStats.fsynced();
            } catch (IOException e) {
                throw Errno.toNfs(e);
            }
        }
        out.writeFixedOpaque(ctx.server().state().bootVerifier());
    }
}
