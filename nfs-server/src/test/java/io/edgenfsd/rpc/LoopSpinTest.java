package io.edgenfsd.rpc;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopSpinTest {

    @Test
    void withNoCallOutTheLoopSleepsAtOnce() throws Exception {
        LoopSpin spin = new LoopSpin(TimeUnit.SECONDS.toNanos(5));
        AtomicInteger polls = new AtomicInteger();
        assertEquals(SelectStrategy.SELECT, spin.calculateStrategy(() -> {
            polls.incrementAndGet();
            return 0;
        }, false));
        assertEquals(0, polls.get());
    }

    @Test
    void queuedTasksAreServedWithoutSleeping() throws Exception {
        LoopSpin spin = new LoopSpin(0);
        assertEquals(3, spin.calculateStrategy(() -> 3, true));
    }

    @Test
    void whileACallIsOutTheLoopPollsAndStopsWhenItsReplyIsQueued() throws Exception {
        LoopSpin spin = new LoopSpin(TimeUnit.SECONDS.toNanos(5));
        spin.handedOff();
        Thread worker = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            spin.returned();
        });
        long t0 = System.nanoTime();
        worker.start();
        assertEquals(0, spin.calculateStrategy(() -> 0, false)); // 0 ready: the loop runs its tasks next
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        worker.join();
        assertTrue(ms >= 40 && ms < 4_000, "returned after " + ms + " ms");
        // nothing out any more: sleeps in epoll_wait again
        assertEquals(SelectStrategy.SELECT, spin.calculateStrategy(() -> 0, false));
    }

    @Test
    void anyIoEndsThePollAndAStuckWorkerCostsAtMostTheSpin() throws Exception {
        LoopSpin spin = new LoopSpin(TimeUnit.MILLISECONDS.toNanos(20));
        spin.handedOff(); // never returned: the worker is stuck on a disk
        AtomicInteger polls = new AtomicInteger();
        assertEquals(2, spin.calculateStrategy(() -> polls.incrementAndGet() == 3 ? 2 : 0, false));
        long t0 = System.nanoTime();
        assertEquals(SelectStrategy.SELECT, spin.calculateStrategy(() -> 0, false));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 15 && ms < 2_000, "gave up after " + ms + " ms");
    }
}
