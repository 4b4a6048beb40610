package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.StateId;
import io.edgenfsd.vfs.Errno;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * READ (RFC 8881 section 18.22). When READ ends the compound, the data leaves by sendfile from the file
 * (a {@link DefaultFileRegion}) and never passes through the Java heap; otherwise it is read into a
 * pooled direct buffer.
 */
public final class Read implements Operation {
    /** Below this, a copy costs less than setting up sendfile. */
    static final int ZERO_COPY_MIN = 16 * 1024;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = StateId.decode(in);
        long offset = in.readLong();
        int count = (int) Math.min(in.readUInt(), ctx.server().maxRead());
        if (ctx.onEventLoop() && ctx.resolveStateId(id).isSpecial()) {
            ctx.mayWait(); // anonymous: the caller's permissions are checked, another's delegation recalled
        }
        Inode file = readable(ctx, id);
        if (offset < 0) {
            out.writeBool(true).writeInt(0);
            return;
        }
        ctx.asServer();
        OpenFiles.Lease lease = ctx.onEventLoop() ? ctx.server().openFiles().acquireIfOpen(file, false) : null;
        if (lease == null) {
            ctx.mayWait(); // opening from the handle may read the disk
            lease = ctx.server().openFiles().acquire(file, false);
        }
        boolean handedOff = false;
        try {
            FileChannel ch = lease.channel();
            long size = ch.size();
            int n = (int) Math.max(0, Math.min(count, size - offset));
            boolean eof = offset + n >= size;
            if (n >= ZERO_COPY_MIN && ctx.isLastOp() && OpenFiles.zeroCopy()) {
                out.writeBool(eof).writeInt(n);
                ByteBuf tail = out.buffer().alloc().directBuffer(4);
                XdrEncoder t = ctx.reply().appendRegion(new LeasedFileRegion(lease, offset, n), tail);
                t.writePadding(n);
                handedOff = true;
                return;
            }
            if (ctx.onEventLoop()) {
                if (n > ZERO_COPY_MIN || !readCached(lease, offset, n, eof, out)) {
                    ctx.mayWait(); // not all in the page cache: read on a worker
                }
                return;
            }
            readInto(ch, offset, n, eof, out);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        } finally {
            if (!handedOff) {
                lease.close();
            }
        }
    }

    /** The current filehandle, checked for reading with {@code id} as READ does (also READ_PLUS's check). */
    static Inode readable(CompoundContext ctx, StateId id) throws NfsException {
        Inode file = ctx.current();
        ctx.enter(file);
        if (file.isPseudo()) {
            throw new NfsException(NfsStatus.ISDIR);
        }
        OpenState open = IoState.check(ctx, id, file, false);
        if (open == null) {
            ctx.mayWait(); // the checks below may read the disk
            // no open of this very object (an open's key names it): check what it is, and that the caller
            // may read it now (anonymous READ is permitted by the file's own permissions)
            OpSupport.requireRegular(ctx.server().fs().type(file));
            ctx.server().fs().checkAccess(file, LocalFs.R_OK);
        }
        return file;
    }

    /**
     * READ4resok from the page cache only (preadv2 RWF_NOWAIT); false, with nothing written, when some of it
     * is not cached (or the filesystem cannot say).
     */
    private static boolean readCached(OpenFiles.Lease lease, long offset, int n, boolean eof, XdrEncoder out) {
        ByteBuf buf = out.buffer();
        int at = buf.writerIndex();
        buf.ensureWritable(8 + n + 3);
        int got = lease.readCached(buf.nioBuffer(at + 8, n), offset);
        if (got < 0) {
            return false;
        }
        // the file shrank under us: what we have is what there is
        out.writeBool(eof || got < n).writeInt(got);
        buf.writerIndex(at + 8 + got);
        out.writePadding(got);
        return true;
    }

    private static void readInto(FileChannel ch, long offset, int n, boolean eof, XdrEncoder out) throws IOException {
        int eofPos = out.position();
        out.writeBool(eof);
        opaqueFrom(ch, offset, n, eofPos, out);
    }

    /**
     * Writes up to {@code n} bytes of {@code ch} at {@code offset} as an XDR opaque; when the file shrank
     * under us, the opaque is shorter and the boolean at {@code eofPos} becomes true.
     */
    static void opaqueFrom(FileChannel ch, long offset, int n, int eofPos, XdrEncoder out) throws IOException {
        int lenPos = out.position();
        out.writeInt(n);
        ByteBuf buf = out.buffer();
        buf.ensureWritable(n + 3);
        int start = buf.writerIndex();
        int got = 0;
        while (got < n) {
            int r = buf.setBytes(start + got, ch, offset + got, n - got);
            if (r <= 0) {
                break;
            }
            got += r;
        }
        buf.writerIndex(start + got);
        if (got < n) {
            // the file shrank under us: what we have is what there is
            out.setInt(lenPos, got);
            out.setInt(eofPos, 1);
        }
        out.writePadding(got);
    }

    /** A file region that gives its channel back to the cache instead of closing it. */
    static final class LeasedFileRegion extends DefaultFileRegion {
        private final OpenFiles.Lease lease;

        LeasedFileRegion(OpenFiles.Lease lease, long position, long count) {
            super(lease.channel(), position, count);
            this.lease = lease;
        }

        @Override
        protected void deallocate() {
            lease.close();
        }
    }
}
