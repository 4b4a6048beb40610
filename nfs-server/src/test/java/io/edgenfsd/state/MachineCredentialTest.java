package io.edgenfsd.state;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.ops.ProtocolTestBase;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** SP4_MACH_CRED state protection (RFC 8881 sections 2.10.8.3 and 18.35.3) with AUTH_SYS. */
class MachineCredentialTest extends ProtocolTestBase {
    private static final Cred MACHINE = Cred.sysOn("protected-node", 0, 0);
    private static final Cred USER = Cred.sysOn("protected-node", 1000, 1000);

    private static int[] ops(int... opcodes) {
        int[] b = new int[2];
        for (int op : opcodes) {
            b[op >>> 5] |= 1 << (op & 31);
        }
        return b;
    }

    private static boolean has(int[] bitmap, int op) {
        return (op >>> 5) < bitmap.length && (bitmap[op >>> 5] & (1 << (op & 31))) != 0;
    }

    @Test
    void enforcedOperationsNeedTheMachineCredentialAndOthersDoNot() {
        RpcClient rpc = server.connect();
        try {
            byte[] owner = ("mach-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
            int[] enforce = ops(Op.EXCHANGE_ID, Op.CREATE_SESSION, Op.DESTROY_SESSION, Op.BIND_CONN_TO_SESSION,
                    Op.DESTROY_CLIENTID, Op.RECLAIM_COMPLETE);
            CompoundReply ex = NfsSession.send(rpc, MACHINE, new Compound().exchangeIdMachineCredential(new byte[8],
                    owner, 0, enforce, ops(Op.CLOSE, Op.LOCKU)));
            assertThat(ex.status()).as(ex.toString()).isEqualTo(NfsStatus.OK);
            Res.ExchangeId eid = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
            assertThat(eid.stateProtection()).isEqualTo(1);
            for (int op : new int[] {Op.EXCHANGE_ID, Op.CREATE_SESSION, Op.DESTROY_SESSION, Op.BIND_CONN_TO_SESSION,
                    Op.DESTROY_CLIENTID, Op.RECLAIM_COMPLETE}) {
                assertThat(has(eid.mustEnforce(), op)).as("enforces " + op).isTrue();
            }
            assertThat(has(eid.mustAllow(), Op.CLOSE) && has(eid.mustAllow(), Op.LOCKU)).isTrue();

            assertThat(NfsSession.send(rpc, USER, new Compound().createSession(eid.clientId(), eid.seq(), 0, 4, 0))
                    .status()).isEqualTo(NfsStatus.CLID_INUSE);
            CompoundReply cs = NfsSession.send(rpc, MACHINE, new Compound().createSession(eid.clientId(), eid.seq(),
                    0, 4, 0));
            assertThat(cs.status()).as(cs.toString()).isEqualTo(NfsStatus.OK);
            byte[] sid = cs.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId();
            // confirmed now: CREATE_SESSION stays the machine's, its retransmission included (section 2.10.8.3)
            CompoundReply replay = NfsSession.send(rpc, USER, new Compound().createSession(eid.clientId(), eid.seq(),
                    0, 4, 0));
            assertThat(replay.status()).as("another principal's replay").isEqualTo(NfsStatus.WRONG_CRED);
            assertThat(java.util.HexFormat.of().formatHex(replay.rpc().afterXid())).as("no session id on the wire")
                    .doesNotContain(java.util.HexFormat.of().formatHex(sid));
            assertThat(NfsSession.send(rpc, USER, new Compound().createSession(eid.clientId(), eid.seq() + 1, 0, 4, 0))
                    .status()).as("another principal's new session").isEqualTo(NfsStatus.WRONG_CRED);
            CompoundReply own = NfsSession.send(rpc, MACHINE, new Compound().createSession(eid.clientId(), eid.seq(),
                    0, 4, 0));
            assertThat(own.status()).as(own.toString()).isEqualTo(NfsStatus.OK);
            assertThat(own.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId()).as("the machine's replay")
                    .isEqualTo(sid);

            CompoundReply plain = NfsSession.send(rpc, USER, new Compound().sequence(sid, 1, 0, 0, false).putrootfh());
            assertThat(plain.status()).as("a user's ordinary compound").isEqualTo(NfsStatus.OK);
            CompoundReply refused = NfsSession.send(rpc, USER, new Compound().sequence(sid, 2, 0, 0, false)
                    .reclaimComplete(false));
            assertThat(refused.get(0).status()).isEqualTo(NfsStatus.OK);
            assertThat(refused.status()).as("RECLAIM_COMPLETE is enforced").isEqualTo(NfsStatus.WRONG_CRED);
            assertThat(NfsSession.send(rpc, MACHINE, new Compound().sequence(sid, 3, 0, 0, false)
                    .reclaimComplete(false)).status()).isEqualTo(NfsStatus.OK);

            RpcClient second = server.connect();
            try {
                assertThat(NfsSession.send(second, MACHINE, new Compound().sequence(sid, 4, 0, 0, false).putrootfh())
                        .status()).as("connection binding is enforced").isEqualTo(NfsStatus.CONN_NOT_BOUND_TO_SESSION);
                assertThat(NfsSession.send(second, USER, new Compound().bindConnToSession(sid, 1)).status())
                        .isEqualTo(NfsStatus.WRONG_CRED);
                assertThat(NfsSession.send(second, MACHINE, new Compound().bindConnToSession(sid, 1)).status())
                        .isEqualTo(NfsStatus.OK);
                assertThat(NfsSession.send(second, USER, new Compound().sequence(sid, 4, 0, 0, false).putrootfh())
                        .status()).isEqualTo(NfsStatus.OK);
            } finally {
                second.close();
            }
            assertThat(NfsSession.send(rpc, USER, new Compound().destroySession(sid)).status())
                    .isEqualTo(NfsStatus.WRONG_CRED);
            assertThat(NfsSession.send(rpc, MACHINE, new Compound().destroySession(sid)).status())
                    .isEqualTo(NfsStatus.OK);
        } finally {
            rpc.close();
        }
    }

    @Test
    void machineCredentialProtectionWithAuthNoneAnswersInval() {
        RpcClient rpc = server.connect();
        try {
            CompoundReply r = NfsSession.send(rpc, Cred.none(), new Compound().exchangeIdMachineCredential(new byte[8],
                    ("anon-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8), 0, ops(Op.DESTROY_SESSION),
                    new int[0]));
            assertThat(r.status()).isEqualTo(NfsStatus.INVAL);
        } finally {
            rpc.close();
        }
    }
}
