package io.edgenfsd.state;

import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.vfs.FileKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the state manager holds, read without taking its locks: counts for metrics (read at scrape time)
 * and a snapshot for `edge-nfsd status`. Values may be a moment stale; nothing here changes state.
 */
public final class StateView {
    private final StateManager manager;
    private final ClientTable clients;
    private final SessionTable sessions;
    private final FileStates files;
    private final Grace grace;

    StateView(StateManager manager, ClientTable clients, SessionTable sessions, FileStates files, Grace grace) {
        this.manager = manager;
        this.clients = clients;
        this.sessions = sessions;
        this.files = files;
        this.grace = grace;
    }

    public int clients() {
        return clients.size();
    }

    public int sessions() {
        return sessions.size();
    }

    public long openStates() {
        return files.openCount();
    }

    public long lockStates() {
        return files.lockStateCount();
    }

    public boolean inGrace() {
        return manager.inGrace();
    }

    /** Bytes of replies kept in session slots for retransmissions (RFC 8881 section 2.10.6.1). */
    public long replyCacheBytes() {
        long n = 0;
        for (Session s : sessions.all()) {
            for (int i = 0; i < s.slotCount(); i++) {
                Slot slot = s.slot(i);
                byte[] b;
                synchronized (slot) {
                    b = slot.cachedReply;
                }
                n += b == null ? 0 : b.length;
            }
        }
        return n;
    }

    /** One client as `edge-nfsd status` shows it. */
    public record ClientInfo(long clientId, byte[] ownerId, String principal, List<String> addresses, boolean confirmed,
                             long leaseLeftMillis, boolean mayReclaim, boolean reclaimComplete, int sessions) {
    }

    public record SessionInfo(String id, long clientId, int slots, List<String> connections) {
    }

    /** An open or a byte-range lock on one file; for an open {@code start}/{@code end} are unused. */
    public record StateInfo(FileKey file, long clientId, String kind, int access, int deny, boolean write,
                            long start, long end) {
    }

    public List<ClientInfo> clientInfo() {
        long now = System.nanoTime();
        long lease = TimeUnit.SECONDS.toNanos(manager.leaseSeconds());
        List<ClientInfo> out = new ArrayList<>();
        for (ClientRecord c : clients.all()) {
            List<String> addr = new ArrayList<>();
            for (Session s : c.sessions) {
                for (RpcConnection conn : s.connections()) {
                    String a = String.valueOf(conn.remoteAddress());
                    if (!addr.contains(a)) {
                        addr.add(a);
                    }
                }
            }
            long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(lease - (now - c.lastRenewNanos)));
            out.add(new ClientInfo(c.clientId(), c.ownerId(), c.principal().toString(), addr, c.confirmed, left, grace.mayStillReclaim(c),
                    c.reclaimComplete, c.sessions.size()));
        }
        return out;
    }

    public List<SessionInfo> sessionInfo() {
        List<SessionInfo> out = new ArrayList<>();
        for (Session s : sessions.all()) {
            List<String> conns = new ArrayList<>();
            for (RpcConnection conn : s.connections()) {
                conns.add(String.valueOf(conn.remoteAddress()));
            }
            out.add(new SessionInfo(s.idHex(), s.client().clientId(), s.slotCount(), conns));
        }
        return out;
    }

    /** Every open and lock, opens first, each group in no particular order. */
    public List<StateInfo> stateInfo() {
        List<StateInfo> out = new ArrayList<>();
        for (OpenState o : files.opens()) {
            out.add(new StateInfo(o.file, o.client.clientId(), "open", o.access(), o.deny(), false, 0, 0));
        }
        for (Map.Entry<FileKey, List<ByteRangeLocks.Lock>> e : files.locks().snapshot().entrySet()) {
            for (ByteRangeLocks.Lock l : e.getValue()) {
                out.add(new StateInfo(e.getKey(), l.owner().clientId(), "lock", 0, 0, l.write(), l.start(), l.end()));
            }
        }
        return out;
    }
}
