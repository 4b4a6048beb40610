package io.edgenfsd.metrics;

import io.edgenfsd.status.NfsStatus;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The server's Prometheus metrics (all named {@code edgenfsd_*}), in a registry of their own.
 *
 * <p>Per-operation series are resolved once, on an operation's first use (so a scrape lists only the
 * operations and errors that happened), into arrays indexed by opcode and by {@link NfsStatus#ordinal()};
 * after that, recording an operation is a few array loads and lock-free adds: no map lookup, no label
 * string and no allocation per call. Everything that is a count of something the server
 * already keeps (clients, sessions, opens, connections, ...) is a callback read at scrape time, so it costs
 * nothing between scrapes.
 *
 * <p>Dependencies: the Prometheus client and {@code io.edgenfsd.status} only. Operation names come in as
 * a function and gauges as suppliers, so this package imports neither the COMPOUND loop nor state nor rpc.
 */
public final class ServerMetrics implements OpRecorder, AutoCloseable {
    /** Opcodes 0..this-1 with a name get their own series; anything else is counted as "ILLEGAL". */
    private static final int OPCODES = 80;
    /** Latency buckets from 25 us (a cached GETATTR) to 10 s (a stuck disk), in seconds. */
    private static final double[] LATENCY_BOUNDS = {
        0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
        1, 2.5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String[] opNames = new String[OPCODES + 1];
    /** The series of each opcode: itself, or OPCODES ("ILLEGAL") for an opcode without a name. */
    private final int[] series = new int[OPCODES];
    private final Counter ops;
    private final LatencyHistogram latency;
    private final Counter err;
    private final CounterDataPoint[] opCount = new CounterDataPoint[OPCODES + 1];
    private final CounterDataPoint[] errors = new CounterDataPoint[NfsStatus.values().length];
    private final CounterDataPoint bytesRead;
    private final CounterDataPoint bytesWritten;
    private final int readOpcode;
    private final int writeOpcode;
    private HTTPServer http;

    /**
     * @param opName  the protocol name of an opcode ("WRITE"), used as the {@code op} label; null for an
     *                opcode that is not an operation (counted as "ILLEGAL")
     * @param readOpcode  the opcode whose byte counts are data read (READ), likewise {@code writeOpcode}
     */
    public ServerMetrics(IntFunction<String> opName, int readOpcode, int writeOpcode) {
        this.readOpcode = readOpcode;
        this.writeOpcode = writeOpcode;
        ops = Counter.builder().name("edgenfsd_nfs_operations_total")
                .help("NFSv4.1 operations executed, by operation (each operation of a COMPOUND counts once)")
                .labelNames("op").withoutExemplars().register(registry);
        opNames[OPCODES] = "ILLEGAL";
        for (int op = 0; op < OPCODES; op++) {
            String name = opName.apply(op);
            opNames[op] = name == null ? opNames[OPCODES] : name;
            series[op] = name == null ? OPCODES : op;
        }
        latency = new LatencyHistogram(LATENCY_BOUNDS, opNames);
        registry.register(latency);
        err = Counter.builder().name("edgenfsd_nfs_errors_total")
                .help("NFSv4.1 operations that ended with an error, by NFS status (RFC 8881 section 15)")
                .labelNames("status").withoutExemplars().register(registry);
        Counter bytes = Counter.builder().name("edgenfsd_nfs_data_bytes_total").unit(Unit.BYTES)
                .help("file data moved by READ (direction=read) and WRITE (direction=write)")
                .labelNames("direction").withoutExemplars().register(registry);
        bytesRead = bytes.labelValues("read");
        bytesWritten = bytes.labelValues("write");
        JvmMemoryMetrics.builder().register(registry);
    }

    @Override
    public void operationDone(int opcode, NfsStatus status, long nanos, long bytes) {
        int i = opcode >= 0 && opcode < OPCODES ? series[opcode] : OPCODES;
        CounterDataPoint c = opCount[i];
        if (c == null) {
            // first use: labelValues returns the one child per label value, so a racing thread gets the same
            c = opCount[i] = ops.labelValues(opNames[i]);
        }
        c.inc();
        latency.observe(i, nanos);
        if (status != NfsStatus.OK) {
            CounterDataPoint e = errors[status.ordinal()];
            if (e == null) {
                e = errors[status.ordinal()] = err.labelValues("NFS4ERR_" + status.name());
            }
            e.inc();
        } else if (bytes > 0) {
            if (opcode == writeOpcode) {
                bytesWritten.inc(bytes);
            } else if (opcode == readOpcode) {
                bytesRead.inc(bytes);
            }
        }
    }

    /** A value read at scrape time, e.g. the number of sessions. */
    public void gauge(String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    /** A monotonically increasing count kept elsewhere (e.g. fsyncs), read at scrape time. */
    public void counter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.getAsLong())).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Serves {@code /metrics} (and {@code /-/healthy}) on {@code address}; returns the bound address. */
    public InetSocketAddress serve(InetSocketAddress address) throws IOException {
        http = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort()).registry(registry)
                .buildAndStart();
        return new InetSocketAddress(address.getAddress(), http.getPort());
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }
}
