package io.edgenfsd.ops;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.compound.CompoundProcessor;
import io.edgenfsd.server.ServerConfig;
import io.edgenfsd.state.ReplyCacheBudget;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One budget bounds every session's reply cache (issue 13): a client that creates sessions in a loop gets
 * fewer slots, then one floor-sized slot, instead of growing the server's memory; what DESTROY_SESSION gives
 * back goes to the next session.
 */
class CreateSessionReplyCacheBudgetTest {
    static final int SLOTS = 8;
    static final int CACHED = CompoundProcessor.MAX_CACHED_REPLY;

    @TempDir
    Path tmp;

    private record Created(RpcClient rpc, long clientId, Res.CreateSession session) {
    }

    private static Created create(TestServer server, String owner) {
        RpcClient rpc = server.connect();
        CompoundReply ex = NfsSession.send(rpc, Cred.root(), new Compound().exchangeId(new byte[8],
                owner.getBytes(StandardCharsets.UTF_8), 0)).orThrow();
        Res.ExchangeId e = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
        CompoundReply cs = NfsSession.send(rpc, Cred.root(), new Compound().createSession(e.clientId(), e.seq(), 0,
                SLOTS, NfsSession.CB_PROGRAM)).orThrow();
        return new Created(rpc, e.clientId(), cs.body(Op.CREATE_SESSION, Res.CreateSession.class));
    }

    @Test
    void sessionsBeyondTheBudgetGetFewerSlotsThenTheFloorAndADestroyedSessionsShareIsReused() throws Exception {
        Path exp = tmp.resolve("exp");
        Files.createDirectories(exp);
        long budget = 2L * SLOTS * CACHED + 3L * CACHED + 1500; // two full sessions, three slots and a bit
        List<Created> made = new ArrayList<>();
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                ServerConfig.Limits.defaults().withReplyCache(budget), exp + " *(rw,sync,no_root_squash,insecure)")) {
            for (int i = 0; i < 6; i++) {
                made.add(create(server, "budget-" + i));
            }
            assertThat(made).extracting(c -> c.session().foreSlots()).containsExactly(SLOTS, SLOTS, 3, 1, 1, 1);
            assertThat(made).extracting(c -> c.session().maxResponseCached())
                    .containsExactly(CACHED, CACHED, CACHED, 1500, ReplyCacheBudget.FLOOR, ReplyCacheBudget.FLOOR);

            // a one-slot session works on slot 0 and refuses slot 1 (section 2.10.6.1: BADSLOT)
            Created small = made.get(4);
            byte[] sid = small.session().sessionId();
            CompoundReply ok = NfsSession.send(small.rpc(), Cred.root(),
                    new Compound().sequence(sid, 1, 0, 0, true).putrootfh().getfh());
            assertThat(ok.status()).isEqualTo(NfsStatus.OK);
            CompoundReply bad = NfsSession.send(small.rpc(), Cred.root(), new Compound().sequence(sid, 1, 1, 1, false));
            assertThat(bad.status()).isEqualTo(NfsStatus.BADSLOT);

            // DESTROY_SESSION of a full session gives its share to the next one (less the two floor slots
            // granted beyond the budget, which their sessions still hold)
            Created full = made.get(0);
            NfsSession.send(full.rpc(), Cred.root(), new Compound().destroySession(full.session().sessionId())).orThrow();
            Created next = create(server, "budget-next");
            made.add(next);
            assertThat(next.session().foreSlots()).isEqualTo((SLOTS * CACHED - 2 * ReplyCacheBudget.FLOOR) / CACHED);
            assertThat(next.session().maxResponseCached()).isEqualTo(CACHED);
        } finally {
            made.forEach(c -> c.rpc().close());
        }
    }
}
