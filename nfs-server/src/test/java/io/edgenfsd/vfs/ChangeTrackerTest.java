package io.edgenfsd.vfs;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeTrackerTest {
    private static final long T0 = 1_700_000_000_000_000_000L;

    @Test
    void changeNeverGoesBackwardsWhenMoreThanTheTableSizeOfFilesAreModified() {
        AtomicLong now = new AtomicLong(T0);
        ChangeTracker t = new ChangeTracker(now::get);
        FileKey x = new FileKey(1, 1);
        long c = T0 - 1000; // one coarse tick, recent
        t.modified(x, c);
        t.modified(x, c);
        t.modified(x, c);
        long seen = t.change(x, c);
        assertThat(seen).isEqualTo(c + 3);
        // the old tracker cleared everything here and x's change fell back to c (measured 1001 -> 1000)
        for (long i = 0; i < ChangeTracker.MAX_ENTRIES + 10; i++) {
            t.modified(new FileKey(1, 100 + i), c);
        }
        assertThat(t.change(x, c)).isGreaterThanOrEqualTo(seen);
        seen = t.change(x, c);
        now.addAndGet(ChangeTracker.SETTLED_NS + 1); // x's ctime is settled: its entry may go
        long settled = t.change(x, c);
        assertThat(settled).isGreaterThanOrEqualTo(seen);
        long c2 = now.get() - 500;
        for (long i = 0; i < ChangeTracker.MAX_ENTRIES + 10; i++) {
            t.modified(new FileKey(2, i), c2);
        }
        assertThat(t.size()).as("settled entries were dropped").isLessThan(2 * ChangeTracker.MAX_ENTRIES);
        assertThat(t.change(x, c)).isEqualTo(settled);
        t.modified(x, c2);
        assertThat(t.change(x, c2)).isGreaterThan(settled);
    }

    @Test
    void eachModificationWithinOneTickRaisesChange() {
        ChangeTracker t = new ChangeTracker(() -> T0);
        FileKey x = new FileKey(1, 1);
        long prev = t.change(x, T0);
        for (int i = 0; i < 1000; i++) {
            t.modified(x, T0);
            long c = t.change(x, T0);
            assertThat(c).isGreaterThan(prev);
            prev = c;
        }
    }
}
