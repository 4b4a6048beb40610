package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refusals of one principal's attempt on another's client, session or state: each logged at WARN once per
 * client record (with the caller's address and principal and the record's owner), and no more than
 * {@link #MAX_PER_MINUTE} such lines a minute overall, so a hostile client cannot flood the log.
 */
final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    static final int MAX_PER_MINUTE = 20;

    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong inWindow = new AtomicLong();

    NfsException refuse(ClientRecord victim, Principal caller, InetSocketAddress from, NfsStatus status,
                        String what) {
        String msg = what + " of client '" + StateManager.printable(victim.ownerId()) + "' (" + victim.principal()
                + ") by " + caller + " from " + from;
        if (victim.refusalLogged.compareAndSet(false, true) && allowed()) {
            log.warn("refused {}: {}", msg, status);
        } else if (log.isDebugEnabled()) {
            log.debug("refused {}: {}", msg, status);
        }
        return new NfsException(status, msg);
    }

    private boolean allowed() {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start > TimeUnit.MINUTES.toNanos(1) && windowStart.compareAndSet(start, now)) {
            inWindow.set(0);
        }
        return inWindow.incrementAndGet() <= MAX_PER_MINUTE;
    }
}
