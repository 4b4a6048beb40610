package io.edgenfsd.rpc;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.RawSocket;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.server.ServerConfig;
import io.edgenfsd.status.NfsStatus;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends READs and never reads the replies (issue 13): the server stops reading it, holds no
 * more than its budget of bytes in flight, keeps answering others promptly, and gives everything back
 * when that client goes away.
 */
class UnreadRepliesTest {
    static final long BUDGET = 8L << 20;
    static final int SESSIONS = 8;
    static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void aClientNeverReadingItsReadRepliesHoldsAtMostTheBudgetAndOthersStayFast() throws Exception {
        Path exp = tmp.resolve("exp");
        Files.createDirectories(exp);
        byte[] data = new byte[MIB];
        Arrays.fill(data, (byte) 'x');
        Files.write(exp.resolve("big"), data);
        try (TestServer server = TestServer.start(tmp.resolve("state"), MIB, ServerConfig.Limits.defaults().withMaxInflight(BUDGET),
                exp + " *(rw,sync,no_root_squash,insecure)");
             NfsSession good = server.session(Cred.root())) {
            byte[] fh = good.lookup(good.lookupPath(exp.toString()), "big");
            long baseline = p90GetattrMillis(good, fh);
            long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            server.inflight().resetPeak();

            // the attacker's sessions live on connections that read; its READs go down one that never does
            List<NfsSession> owners = new ArrayList<>();
            try (RawSocket attacker = RawSocket.connect(server.address(), 4096)) {
                int xid = 1;
                for (int s = 0; s < SESSIONS; s++) {
                    NfsSession o = server.session(Cred.root());
                    owners.add(o);
                    for (int slot = 0; slot < o.slots(); slot++) {
                        int seq = o.reserveSlot(slot);
                        // sa_cachethis false: the 1 MiB replies are meant to be sent, not kept
                        byte[] args = new Compound().sequence(o.sessionId(), seq, slot, o.slots() - 1, false)
                                .putfh(fh).read(Stateid.ANONYMOUS, 0, MIB).encode();
                        attacker.sendCall(xid++, Cred.root(), args);
                    }
                }
                int calls = xid - 1;
                assertThat(calls).isGreaterThanOrEqualTo(100); // > 100 MiB of replies asked for
                Thread.sleep(2000); // the server does all it will do with them

                long held = server.inflight().used();
                long peak = server.inflight().peak();
                long directGrowth = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - directBefore;
                long during = p90GetattrMillis(good, fh);
                System.out.printf("unread replies: %d calls, peak %d, held %d, direct +%d, getattr p90 %d -> %d ms%n", calls, peak, held, directGrowth, baseline, during);

                assertThat(peak).as("bytes in flight at the worst moment").isLessThanOrEqualTo(BUDGET);
                assertThat(held).as("still held for the stuck client").isPositive();
                // pooled chunks are 4 MiB per arena: allow a few beyond the budget, far from the 100+ MiB asked
                assertThat(directGrowth).as("direct memory growth").isLessThan(BUDGET + (16L << 20));
                assertThat(during).as("GETATTR p90 with the attacker stuck, baseline " + baseline + " ms")
                        .isLessThan(baseline + 100);
            } finally {
                owners.forEach(NfsSession::close);
            }
            // the attacker went away: everything it held comes back
            long deadline = System.currentTimeMillis() + 10_000;
            while (server.inflight().used() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.inflight().used()).isZero();
            assertThat(good.getattr(fh, Fattr.SIZE).size()).isEqualTo(MIB);
        }
    }

    private static long p90GetattrMillis(NfsSession s, byte[] fh) {
        long[] t = new long[30];
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            assertThat(s.compound(c -> c.putfh(fh).getattr(Fattr.SIZE)).status()).isEqualTo(NfsStatus.OK);
            t[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(t);
        return t[(int) (t.length * 0.9)];
    }
}
