package io.edgenfsd.rpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The NFS worker threads. Unlike a {@link java.util.concurrent.ThreadPoolExecutor} (whose queue wakes the
 * longest-idle thread), a call goes to the most recently idle worker (idle workers wait on a stack), whose
 * caches, JIT-warm paths and thread credentials are hot; and a worker that has just finished polls for the
 * next call for a few microseconds before parking, when there is more than one CPU to spin on.
 * (benchmarks/results/2026-12-03-event-loop-handoff.md has the measured effect.)
 */
public final class WorkerPool extends AbstractExecutorService {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final ConcurrentLinkedQueue<Runnable> calls = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private final CountDownLatch terminated;
    private final long spinNanos;
    private volatile boolean shutdown;

    /** {@code threads} workers named {@code prefix1..N}, spinning {@code spinNanos} before parking (0: never). */
    public WorkerPool(int threads, String prefix, long spinNanos) {
        this(threads, namedDaemons(prefix), spinNanos);
    }

    /**
     * {@code threads} workers made by {@code threadFactory} (which names them and may wrap their start, e.g.
     * to drop a capability before the first call), spinning {@code spinNanos} before parking (0: never).
     */
    public WorkerPool(int threads, java.util.concurrent.ThreadFactory threadFactory, long spinNanos) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.spinNanos = Runtime.getRuntime().availableProcessors() > 1 ? spinNanos : 0;
        this.terminated = new CountDownLatch(threads);
        for (int i = 1; i <= threads; i++) {
            workers.add(startWorker(threadFactory));
        }
    }

    private static java.util.concurrent.ThreadFactory namedDaemons(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The only place a worker thread starts. */
    private Worker startWorker(java.util.concurrent.ThreadFactory threadFactory) {
        Worker w = new Worker();
        Thread t = threadFactory.newThread(w);
        w.thread = t;
        t.start();
        return w;
    }

    @Override
    public void execute(Runnable call) {
        if (shutdown) {
            throw new RejectedExecutionException("worker pool is shut down");
        }
        calls.offer(call);
        // offer, then pop: every popped worker polls the queue at least once after being popped, so no call
        // is left waiting while a worker sleeps
        Worker w = idle.pollFirst();
        if (w != null) {
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        volatile Thread thread;

        @Override
        public void run() {
            try {
                while (true) {
                    Runnable call = next();
                    if (call == null) {
                        return;
                    }
                    try {
                        call.run();
                    } catch (Throwable e) {
                        log.error("uncaught in worker {}", Thread.currentThread().getName(), e);
                    }
                }
            } finally {
                terminated.countDown();
            }
        }

        /** The next call, or null when the pool is shut down and no call is left. */
        private Runnable next() {
            Runnable call = calls.poll();
            if (call != null) {
                return call;
            }
            if (spinNanos > 0) {
                long end = System.nanoTime() + spinNanos;
                do {
                    Thread.onSpinWait();
                    call = calls.poll();
                    if (call != null) {
                        return call;
                    }
                } while (System.nanoTime() < end);
            }
            while (true) {
                idle.offerFirst(this);
                // push, then poll: a call offered before the push is seen here
                call = calls.poll();
                if (call != null) {
                    // if someone popped us meanwhile, its unpark leaves a permit: one spurious loop, harmless
                    idle.remove(this);
                    return call;
                }
                if (shutdown) {
                    idle.remove(this);
                    return null;
                }
                LockSupport.park(this);
                idle.remove(this);
                call = calls.poll();
                if (call != null) {
                    return call;
                }
            }
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> left = new ArrayList<>();
        for (Runnable r; (r = calls.poll()) != null; ) {
            left.add(r);
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }
}
