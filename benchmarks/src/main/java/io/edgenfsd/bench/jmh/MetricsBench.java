package io.edgenfsd.bench.jmh;

import io.edgenfsd.compound.OperationTable;
import io.edgenfsd.metrics.ServerMetrics;
import io.edgenfsd.status.NfsStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * What --metrics adds to each NFS operation, alone: the two clock reads around it and the recording
 * (counter, histogram, byte counter), from 2 threads at once as the workers do. Compare with the server CPU
 * per COMPOUND (3 operations) that benchmarks/metrics-ab.sh reports.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsBench {
    private ServerMetrics metrics;

    @Setup
    public void setup() {
        metrics = new ServerMetrics(op -> OperationTable.inRange(op) ? OperationTable.name(op) : null,
                OperationTable.READ, OperationTable.WRITE);
    }

    @Benchmark
    @Threads(2)
    public void recordWrite() {
        long t0 = System.nanoTime();
        metrics.operationDone(OperationTable.WRITE, NfsStatus.OK, System.nanoTime() - t0, 4096);
    }

    @Benchmark
    @Threads(2)
    public void recordLookupError() {
        long t0 = System.nanoTime();
        metrics.operationDone(OperationTable.LOOKUP, NfsStatus.NOENT, System.nanoTime() - t0, 0);
    }
}
