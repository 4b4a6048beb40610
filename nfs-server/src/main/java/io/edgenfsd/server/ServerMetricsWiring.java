package io.edgenfsd.server;

import io.edgenfsd.compound.OperationTable;
import io.edgenfsd.metrics.ServerMetrics;
import io.edgenfsd.rpc.RpcStats;
import io.edgenfsd.state.StateView;
import io.edgenfsd.vfs.SyncStats;

/** Builds the metrics of one server: the per-operation recorder plus gauges read from state and rpc. */
final class ServerMetricsWiring {
    private ServerMetricsWiring() {
    }

    static ServerMetrics create(StateView state) {
        ServerMetrics m = new ServerMetrics(op -> OperationTable.inRange(op) ? OperationTable.name(op) : null,
                OperationTable.READ, OperationTable.WRITE);
        m.gauge("edgenfsd_connections", "open TCP connections", RpcStats::connections);
        m.gauge("edgenfsd_rpc_calls_in_flight", "RPC calls received and not yet answered", RpcStats::callsInFlight);
        m.gauge("edgenfsd_rpc_in_flight_bytes", "request bytes of the RPC calls in flight", RpcStats::bytesInFlight);
        m.gauge("edgenfsd_clients", "NFSv4.1 clients (EXCHANGE_ID records)", state::clients);
        m.gauge("edgenfsd_sessions", "NFSv4.1 sessions", state::sessions);
        m.gauge("edgenfsd_open_states", "open stateids (files open by an open-owner)", state::openStates);
        m.gauge("edgenfsd_lock_states", "lock stateids (lock-owners holding or having held locks on a file)",
                state::lockStates);
        m.gauge("edgenfsd_reply_cache_bytes", "bytes of replies kept in session slots for retransmissions",
                state::replyCacheBytes);
        m.gauge("edgenfsd_grace", "1 while the grace period after a restart is on (new opens and locks wait)",
                () -> state.inGrace() ? 1 : 0);
        m.counter("edgenfsd_fsyncs_total", "fsync/fdatasync calls made for sync exports and COMMIT",
                SyncStats::fsyncs);
        return m;
    }
}
