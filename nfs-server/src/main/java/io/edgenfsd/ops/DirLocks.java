package io.edgenfsd.ops;

import io.edgenfsd.vfs.FileKey;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises namespace changes per directory (striped), so the before/after change values we report in
 * change_info4 bracket exactly one change and can be marked atomic (RFC 8881 section 3.3.9).
 */
final class DirLocks {
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private DirLocks() {
    }

    static ReentrantLock of(FileKey dir) {
        return STRIPES[(int) ((dir.ino() * 0x9E3779B97F4A7C15L) >>> 58)];
    }

    /** Locks two directories in a fixed order (RENAME between directories). */
    static ReentrantLock[] ofPair(FileKey a, FileKey b) {
        ReentrantLock la = of(a);
        ReentrantLock lb = of(b);
        if (la == lb) {
            return new ReentrantLock[] {la};
        }
        return System.identityHashCode(la) < System.identityHashCode(lb) ? new ReentrantLock[] {la, lb}
                : new ReentrantLock[] {lb, la};
    }
}
