package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.Principal;
import io.edgenfsd.state.Session;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** BIND_CONN_TO_SESSION (RFC 8881 section 18.34): how a client restores its back channel after reconnecting. */
public final class BindConnToSession implements Operation {
    static final int CDFC4_FORE = 1;
    static final int CDFC4_BACK = 2;
    static final int CDFC4_FORE_OR_BOTH = 3;
    static final int CDFC4_BACK_OR_BOTH = 7;

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        byte[] id = in.readFixedOpaque(16);
        int dir = in.readInt();
        in.readBool(); // use_conn_in_rdma_mode
        Session s = ctx.server().state().session(id);
        ctx.server().state().checkBindConnection(s, Principal.of(ctx.credentials()), ctx.connection().remoteAddress());
        int result;
        switch (dir) {
            case CDFC4_FORE -> {
                s.bindFore(ctx.connection());
                result = 1;
            }
            case CDFC4_BACK -> {
                s.bindBack(ctx.connection());
                result = 2;
            }
            case CDFC4_FORE_OR_BOTH, CDFC4_BACK_OR_BOTH -> {
                s.bindFore(ctx.connection());
                s.bindBack(ctx.connection());
                result = 3;
            }
            default -> throw new NfsException(NfsStatus.INVAL, "channel_dir_from_client4 " + dir);
        }
        s.client().renew();
        out.writeFixedOpaque(id);
        out.writeInt(result);
        out.writeBool(false); // no RDMA here, whatever the client asked
    }
}
