package io.edgenfsd.metrics;

import io.edgenfsd.status.NfsStatus;

/**
 * Told once per NFS operation of a COMPOUND, on the thread that ran it: which operation, how it ended,
 * how long it took and (READ, WRITE) how many file bytes it moved. Must be cheap: it sits on every call.
 */
public interface OpRecorder {
    /** Records nothing; with it the COMPOUND loop does not even read the clock. */
    OpRecorder NONE = (opcode, status, nanos, bytes) -> { };

    void operationDone(int opcode, NfsStatus status, long nanos, long bytes);
}
