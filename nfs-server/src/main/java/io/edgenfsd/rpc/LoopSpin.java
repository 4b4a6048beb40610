package io.edgenfsd.rpc;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An event loop's select strategy that, while a call it handed to a worker has not come back, polls for a
 * few microseconds before going to sleep in epoll_wait: a quick worker's reply is then written without the
 * loop being woken (a context switch and an eventfd write per call). The poll is epoll_wait with a zero
 * timeout, so any I/O of any connection on this loop ends it at once: it delays nothing, and it is never
 * longer than {@code spinNanos}, whatever the worker does (a cold disk, a lock): the loop never blocks.
 * Only with more than one CPU (spinning on the only CPU would delay the worker it waits for).
 */
public final class LoopSpin implements SelectStrategy {
    private static final ThreadLocal<LoopSpin> CURRENT = new ThreadLocal<>();

    private final long spinNanos;
    /** Calls handed to a worker (counted by the loop) and replies queued back (counted by the workers). */
    private final AtomicLong handedOff = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();

    LoopSpin(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** Spins up to {@code spinNanos} per wait (none when 0 or on one CPU). */
    public static SelectStrategyFactory factory(long spinNanos) {
        long spin = Runtime.getRuntime().availableProcessors() > 1 ? spinNanos : 0;
        return () -> new LoopSpin(spin);
    }

    /** This event loop's strategy, or null off a loop of ours (embedded channels, tests). */
    static LoopSpin current() {
        return CURRENT.get();
    }

    /** On the loop, before the call goes to a worker. */
    void handedOff() {
        handedOff.incrementAndGet();
    }

    /** On the worker, after its reply has been queued to the loop. */
    void returned() {
        returned.incrementAndGet();
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (CURRENT.get() != this) {
            CURRENT.set(this); // runs on the loop's own thread
        }
        if (hasTasks) {
            return selectNow.get();
        }
        if (spinNanos > 0) {
            long seen = returned.get();
            if (handedOff.get() != seen) {
                long end = System.nanoTime() + spinNanos;
                do {
                    int ready = selectNow.get();
                    if (ready > 0 || returned.get() != seen) {
                        // I/O, or a reply task in the queue (queued while we were awake: no eventfd write)
                        return ready;
                    }
                    Thread.onSpinWait();
                } while (System.nanoTime() < end);
            }
        }
        return SelectStrategy.SELECT;
    }
}
