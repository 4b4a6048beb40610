package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** OFFLOAD_CANCEL (RFC 7862 section 15.8): as OFFLOAD_STATUS, no stateid names an asynchronous copy here. */
public final class OffloadCancel implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        throw OffloadStatus.noSuchCopy(ctx, in);
    }
}
