package io.edgenfsd.vfs;

import java.util.concurrent.atomic.LongAdder;

/** Counts the fsync/fdatasync calls made for clients (sync exports, COMMIT), for metrics. */
public final class SyncStats {
    private static final LongAdder FSYNCS = new LongAdder();

    private SyncStats() {
    }

    /** Called after each {@code FileChannel.force} made on a client's behalf. */
    public static void fsynced() {
        FSYNCS.increment();
    }

    public static long fsyncs() {
        return FSYNCS.sum();
    }
}
