package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.vfs.Errno;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.OpenFiles;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * READ_PLUS (RFC 7862 section 15.10) with READ's checks. The range comes back as one data segment, holes as
 * zeros: a server may report holes as data (section 15.10.3), and one segment costs the client no more
 * than a READ.
 */
public final class ReadPlus implements Operation {
    static final int CONTENT_DATA = 0;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = StateId.decode(in);
        long offset = in.readLong();
        int count = (int) Math.min(in.readUInt(), ctx.server().maxRead());
        Inode file = Read.readable(ctx, id);
        if (offset < 0) {
            out.writeBool(true).writeInt(0);
            return;
        }
        ctx.asServer();
        try (OpenFiles.Lease lease = ctx.server().openFiles().acquire(file, false)) {
            FileChannel ch = lease.channel();
            long size = ch.size();
            int n = (int) Math.max(0, Math.min(count, size - offset));
            int eofPos = out.position();
            out.writeBool(offset + n >= size);
            if (n == 0) {
                out.writeInt(0); // no contents: at or past the end
                return;
            }
            out.writeInt(1).writeInt(CONTENT_DATA).writeLong(offset);
            Read.opaqueFrom(ch, offset, n, eofPos, out);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }
}
