package io.edgenfsd.rpc;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    /** Gives every worker of a new pool time to start and park on the idle stack. */
    private static void awaitIdle() throws InterruptedException {
        Thread.sleep(200);
    }

    @Test
    void serialCallsGoToTheMostRecentlyIdleWorker() throws Exception {
        WorkerPool pool = new WorkerPool(4, "wp-lifo-", 0);
        try {
            awaitIdle();
            List<String> names = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 20; i++) {
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(() -> {
                    names.add(Thread.currentThread().getName());
                    done.countDown();
                });
                assertTrue(done.await(5, TimeUnit.SECONDS));
                Thread.sleep(5); // the worker parks again before the next call
            }
            // a FIFO pool would rotate through all four threads; LIFO keeps taking the hot one
            assertEquals(1, names.stream().distinct().count(), names.toString());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void manyConcurrentSubmittersLoseNoCall() throws Exception {
        WorkerPool pool = new WorkerPool(3, "wp-many-", 5_000);
        try {
            int perThread = 20_000;
            AtomicInteger ran = new AtomicInteger();
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        pool.execute(ran::incrementAndGet);
                    }
                });
                submitters.add(th);
                th.start();
            }
            for (Thread th : submitters) {
                th.join();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ran.get() < 4 * perThread && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(4 * perThread, ran.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shutdownRunsQueuedCallsThenRejectsAndTerminates() throws Exception {
        WorkerPool pool = new WorkerPool(1, "wp-stop-", 0);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        });
        for (int i = 0; i < 10; i++) {
            pool.execute(ran::incrementAndGet);
        }
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(ran::incrementAndGet));
        release.countDown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        assertTrue(pool.isTerminated());
        assertEquals(11, ran.get());
    }

    @Test
    void aThrowingCallDoesNotCostAWorker() throws Exception {
        WorkerPool pool = new WorkerPool(1, "wp-throw-", 0);
        try {
            pool.execute(() -> {
                throw new IllegalStateException("expected by the test");
            });
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(done::countDown);
            assertTrue(done.await(5, TimeUnit.SECONDS));
        } finally {
            pool.shutdown();
        }
    }
}
