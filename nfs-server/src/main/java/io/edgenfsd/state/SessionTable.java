package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.xdr.OpaqueKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Sessions by id (RFC 8881 section 2.10): lock-free lookups; each session guards its own slots. */
final class SessionTable {
    private final IdAllocator ids;
    private final Map<OpaqueKey, Session> sessions = new ConcurrentHashMap<>();

    SessionTable(IdAllocator ids) {
        this.ids = ids;
    }

    Session create(ClientRecord client, ChannelAttrs fore, ChannelAttrs back, int cbProgram, CallbackSecurity cbSec) {
        Session s;
        do {
            s = new Session(ids.sessionId(), client, fore, back, cbProgram, cbSec);
        } while (sessions.putIfAbsent(new OpaqueKey(s.id()), s) != null);
        client.sessions.add(s);
        return s;
    }

    Session get(byte[] id) throws NfsException {
        Session s = sessions.get(new OpaqueKey(id));
        if (s == null || s.destroyed() || s.client().expired) {
            throw new NfsException(NfsStatus.BADSESSION, "unknown session");
        }
        return s;
    }

    void destroy(Session s) {
        s.destroy();
        sessions.remove(new OpaqueKey(s.id()));
        s.client().sessions.remove(s);
    }

    void destroyAll(ClientRecord c) {
        for (Session s : new ArrayList<>(c.sessions)) {
            destroy(s);
        }
    }

    int size() {
        return sessions.size();
    }

    List<Session> all() {
        return new ArrayList<>(sessions.values());
    }
}
