package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.state.CallbackSecurity;
import io.edgenfsd.state.Session;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

/** BACKCHANNEL_CTL (RFC 8881 section 18.33): the session's callback program and security change. */
public final class BackchannelCtl implements Operation {
    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        int program = in.readInt();
        CallbackSecurity sec = CreateSession.decodeSecParms(in);
        Session s = ctx.session();
        if (s == null) {
            throw new NfsException(NfsStatus.OP_NOT_IN_SESSION, "BACKCHANNEL_CTL outside a session");
        }
        s.changeCallback(program, sec);
    }
}
