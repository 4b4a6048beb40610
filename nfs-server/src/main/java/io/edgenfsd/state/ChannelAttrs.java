package io.edgenfsd.state;

import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** channel_attrs4 (RFC 8881 section 18.36). */
public record ChannelAttrs(int headerPadSize, int maxRequestSize, int maxResponseSize, int maxResponseSizeCached,
                           int maxOperations, int maxRequests) {

    public static ChannelAttrs decode(XdrDecoder in) {
        ChannelAttrs a = new ChannelAttrs(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                in.readInt());
        int rdma = in.readArrayCount(1, 4);
        for (int i = 0; i < rdma; i++) {
            in.readInt();
        }
        return a;
    }

    public void encode(XdrEncoder out) {
        out.writeInt(headerPadSize).writeInt(maxRequestSize).writeInt(maxResponseSize)
                .writeInt(maxResponseSizeCached).writeInt(maxOperations).writeInt(maxRequests).writeInt(0);
    }

    static int clamp(int requested, int max) {
        return Integer.compareUnsigned(requested, max) > 0 ? max : requested;
    }
}
