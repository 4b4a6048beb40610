package io.edgenfsd.rpc;

/** The header of one ONC RPC call (RFC 5531 section 9); the arguments follow in the record. */
public record RpcCall(int xid, int program, int version, int procedure, Credentials credentials) {
}
