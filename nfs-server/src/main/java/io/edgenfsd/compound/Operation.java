package io.edgenfsd.compound;

import io.edgenfsd.status.NfsException;

import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/**
 * One NFSv4.1 operation (RFC 8881 section 18). It decodes its arguments, does its work through the
 * context (state and vfs), and encodes its result body after the status the processor writes.
 */
public interface Operation {
    void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws NfsException;
}
