package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.vfs.FileKey;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client ids, session ids and stateids as another client would try to predict them: 10,000 of each, as the
 * server hands them out, show no repeated random part, no constant or small step from one to the next, and
 * every random bit set about half the time (a counter or a clock fails all three).
 */
class IdUnpredictabilityTest {
    private static final int N = 10_000;
    private static final ChannelAttrs ATTRS = new ChannelAttrs(0, 4096, 4096, 0, 8, 1);

    /** Random parts as longs (the low 64 bits after any boot-epoch prefix). */
    private static void assertUnpredictable(long[] ids, String what) {
        Set<Long> distinct = new HashSet<>();
        Set<Long> steps = new HashSet<>();
        int smallSteps = 0;
        int[] ones = new int[64];
        for (int i = 0; i < ids.length; i++) {
            distinct.add(ids[i]);
            for (int b = 0; b < 64; b++) {
                ones[b] += (int) (ids[i] >>> b) & 1;
            }
            if (i > 0) {
                long step = ids[i] - ids[i - 1];
                steps.add(step);
                if (Math.abs(step) < (1L << 32)) {
                    smallSteps++;
                }
            }
        }
        assertThat(distinct).as(what + ": no two share their random part").hasSize(ids.length);
        assertThat(steps.size()).as(what + ": steps from one id to the next are not constant")
                .isGreaterThan(ids.length - 10);
        assertThat(smallSteps).as(what + ": none is a small step from the previous").isZero();
        for (int b = 0; b < 64; b++) {
            // 10,000 fair coin flips: 50% +- 0.5% (one sigma); 45..55% is ten sigma either side
            assertThat(ones[b]).as(what + ": bit " + b + " is set about half the time")
                    .isBetween(ids.length * 45 / 100, ids.length * 55 / 100);
        }
    }

    private static long low64(byte[] id) {
        return ByteBuffer.wrap(id, id.length - 8, 8).getLong();
    }

    @Test
    void tenThousandClientIdsHaveNoPredictableRelation() throws NfsException {
        StateManager sm = new StateManager(90);
        long[] ids = new long[N];
        for (int i = 0; i < N; i++) {
            ids[i] = sm.exchangeId(("client-" + i).getBytes(StandardCharsets.UTF_8), new byte[8], false,
                    Principal.ANONYMOUS, StateProtection.NONE, null).client().clientId();
        }
        assertUnpredictable(ids, "client ids");
    }

    @Test
    void tenThousandSessionIdsHaveNoPredictableRelation() throws NfsException {
        StateManager sm = new StateManager(90);
        ClientRecord c = sm.exchangeId("one-client".getBytes(StandardCharsets.UTF_8), new byte[8], false,
                Principal.ANONYMOUS, StateProtection.NONE, null).client();
        long[] ids = new long[N];
        Set<Integer> middle = new HashSet<>();
        for (int i = 0; i < N; i++) {
            byte[] id = sm.newSession(c, ATTRS, ATTRS, 0, CallbackSecurity.NONE).id();
            ids[i] = low64(id);
            middle.add(ByteBuffer.wrap(id, 4, 4).getInt()); // bytes 4..8 are random too
        }
        assertUnpredictable(ids, "session ids");
        assertThat(middle.size()).isGreaterThan(N - 10);
    }

    @Test
    void tenThousandStateidsHaveNoPredictableRelation() throws NfsException {
        StateManager sm = new StateManager(90);
        ClientRecord c = sm.exchangeId("one-client".getBytes(StandardCharsets.UTF_8), new byte[8], false,
                Principal.ANONYMOUS, StateProtection.NONE, null).client();
        long[] ids = new long[N];
        for (int i = 0; i < N; i++) {
            OpenState o = sm.open(c, new OpenOwner(c.clientId(), new byte[] {1}), new FileKey(1, i), 1, 0);
            ids[i] = low64(o.stateId().other());
        }
        assertUnpredictable(ids, "stateids");
    }
}
