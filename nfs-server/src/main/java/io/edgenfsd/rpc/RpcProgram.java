package io.edgenfsd.rpc;

import io.edgenfsd.xdr.XdrDecoder;

/** One ONC RPC program served on our port. */
public interface RpcProgram {
    int program();

    int lowVersion();

    int highVersion();

    /**
     * Executes a call whose program and version are ours. Results are written into {@code reply}; the
     * returned value is the accept_stat (normally {@link RpcConstants#SUCCESS}).
     */
    int call(RpcConnection connection, RpcCall call, XdrDecoder args, RpcReply reply);
}
