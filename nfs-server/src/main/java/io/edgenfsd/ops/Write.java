package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.StateId;
import io.edgenfsd.vfs.Errno;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * WRITE (RFC 8881 section 18.32). Data goes from the transport's pooled buffer straight to
 * {@link FileChannel#write}; on a sync export FILE_SYNC and DATA_SYNC writes are forced before replying.
 */
public final class Write implements Operation {
    static final int UNSTABLE = 0;
    static final int DATA_SYNC = 1;
    static final int FILE_SYNC = 2;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = StateId.decode(in);
        long offset = in.readLong();
        int stable = in.readInt();
        ByteBuffer[] data = in.readOpaqueBuffers(ctx.server().maxWrite());
        if (stable < UNSTABLE || stable > FILE_SYNC) {
            throw new NfsException(NfsStatus.INVAL, "stable_how4 " + stable);
        }
        Inode file = ctx.current();
        ExportOptions opts = ctx.enterForWrite(file);
        OpSupport.requireRegular(ctx.server().fs().type(file));
        int n = 0;
        for (ByteBuffer b : data) {
            n += b.remaining();
        }
        if (offset < 0 || offset + n < 0) {
            throw new NfsException(NfsStatus.FBIG, "offset beyond the largest file size");
        }
        OpenState open = IoState.check(ctx, id, file, true);
        if (open == null) {
            ctx.server().fs().checkAccess(file, LocalFs.W_OK); // anonymous WRITE: the file's own permissions
        }
        int committed;
        // the channel comes from the handle, opened as the server; the write itself runs as the caller, so
        // the kernel clears setuid/setgid bits as it would for the caller's own write
        try (OpenFiles.Lease lease = ctx.server().openFiles().acquire(file, true)) {
            committed = write(lease.channel(), data, offset, stable, opts);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
        ctx.server().fs().modified(file);
        out.writeInt(n);
        out.writeInt(committed);
        out.writeFixedOpaque(ctx.server().state().bootVerifier());
    }

    private static int write(FileChannel ch, ByteBuffer[] data, long offset, int stable, ExportOptions opts)
            throws IOException {
        long pos = offset;
        for (ByteBuffer b : data) {
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }
        if (!opts.sync()) {
            // async export: acknowledged as stable without forcing, as knfsd's 'async' does
            return FILE_SYNC;
        }
        if (stable == FILE_SYNC) {
            ch.force(true);
            io.edgenfsd.vfs.SyncStats.fsynced();
        } else if (stable == DATA_SYNC) {
            ch.force(false);
            io.edgenfsd.vfs.SyncStats.fsynced();
        }
        return stable;
    }
}
