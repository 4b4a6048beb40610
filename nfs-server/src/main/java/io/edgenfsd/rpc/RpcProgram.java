package io.edgenfsd.rpc;

import io.edgenfsd.xdr.XdrDecoder;
import io.netty.buffer.ByteBuf;

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

    /**
     * Whether a call is cheap and never blocks on the disk for long, so the transport may run it on its event
     * loop instead of a worker thread (saves two thread wake-ups). {@code args} must not be consumed.
     */
    /**
     * An upper bound, as good as a look at the arguments gives, of the reply's size: reserved in the memory
     * budget before the call runs, corrected to the real size after. {@code args} must not be consumed.
     */
    default long replyEstimate(RpcCall call, ByteBuf args) {
        return 1024;
    }

    default boolean runsInline(RpcCall call, ByteBuf args) {
        return false;
    }
}
