package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * DEALLOCATE (RFC 7862 section 15.4): punches a hole in a byte range, keeping the file's size
 * (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE); later reads of the range return zeros.
 */
public final class Deallocate implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        StateId id = StateId.decode(in);
        long offset = in.readLong();
        long length = in.readLong();
        Allocate.change(ctx, id, offset, length, true);
    }
}
