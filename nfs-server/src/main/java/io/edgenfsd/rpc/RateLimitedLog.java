package io.edgenfsd.rpc;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One warning line per interval for a kind of bad input, however often clients send it: a flood of malformed
 * requests must not become a flood of log lines (and journald's rate limit would hide the useful ones).
 * The next line says how many were not logged.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Logs {@code format} (slf4j style, a trailing Throwable gets its stack) unless one was logged lately. */
    public boolean warn(String format, Object... args) {
        long now = System.nanoTime();
        long n = next.get();
        if ((n != Long.MIN_VALUE && now - n < 0) || !next.compareAndSet(n, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped > 0) {
            log.warn("({} more like the next were not logged)", skipped);
        }
        log.warn(format, args);
        return true;
    }

    /** How many lines were held back since the last one logged. */
    public long suppressed() {
        return suppressed.get();
    }
}
