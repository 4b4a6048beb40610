package io.edgenfsd.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyCacheBudgetTest {
    @Test
    void aSessionGetsWhatItAsksWhileTheBudgetHasRoom() {
        ReplyCacheBudget b = new ReplyCacheBudget(1 << 20);
        assertThat(b.reserve(64, 4096)).isEqualTo(new ReplyCacheBudget.Grant(64, 4096));
        assertThat(b.reserved()).isEqualTo(64 * 4096);
    }

    @Test
    void whenShortASessionGetsFewerSlotsThenASmallerCachedSizeThenTheOneSlotFloor() {
        ReplyCacheBudget b = new ReplyCacheBudget(10 * 4096 + 2000);
        assertThat(b.reserve(8, 4096)).isEqualTo(new ReplyCacheBudget.Grant(8, 4096));
        assertThat(b.reserve(8, 4096)).as("room for two slots").isEqualTo(new ReplyCacheBudget.Grant(2, 4096));
        assertThat(b.reserve(8, 4096)).as("less than one slot").isEqualTo(new ReplyCacheBudget.Grant(1, 2000));
        assertThat(b.overCommitted()).isZero();
        assertThat(b.reserve(8, 4096)).as("spent").isEqualTo(new ReplyCacheBudget.Grant(1, ReplyCacheBudget.FLOOR));
        assertThat(b.overCommitted()).isEqualTo(ReplyCacheBudget.FLOOR);
    }

    @Test
    void aReleasedGrantIsAvailableToTheNextSession() {
        ReplyCacheBudget b = new ReplyCacheBudget(8 * 4096);
        ReplyCacheBudget.Grant first = b.reserve(8, 4096);
        ReplyCacheBudget.Grant floor = b.reserve(8, 4096);
        assertThat(floor).isEqualTo(new ReplyCacheBudget.Grant(1, ReplyCacheBudget.FLOOR));
        b.release(first);
        assertThat(b.reserve(8, 4096)).as("the floor session still holds its KiB")
                .isEqualTo(new ReplyCacheBudget.Grant(7, 4096));
        b.release(floor);
        assertThat(b.reserve(8, 4096)).isEqualTo(new ReplyCacheBudget.Grant(1, 4096));
        assertThat(b.overCommitted()).isZero();
    }

    @Test
    void aSessionThatCachesNothingReservesNothing() {
        ReplyCacheBudget b = new ReplyCacheBudget(4096);
        assertThat(b.reserve(16, 0)).isEqualTo(new ReplyCacheBudget.Grant(16, 0));
        assertThat(b.reserved()).isZero();
    }

    @Test
    void releasingMoreThanWasReservedIsABug() {
        ReplyCacheBudget b = new ReplyCacheBudget(4096);
        assertThatThrownBy(() -> b.release(new ReplyCacheBudget.Grant(1, 4096))).isInstanceOf(IllegalStateException.class);
    }
}
