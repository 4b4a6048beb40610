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
    private final ReplyCacheBudget replyCache;
    private final Map<OpaqueKey, Session> sessions = new ConcurrentHashMap<>();

    SessionTable(IdAllocator ids, ReplyCacheBudget replyCache) {
        this.ids = ids;
        this.replyCache = replyCache;
    }

    /**
     * A new session with the fore channel's slots and cached reply size cut to what the reply cache budget
     * has left (section 18.36.3: the server may grant less than asked); the reservation ends with the session.
     */
    Session create(ClientRecord client, ChannelAttrs fore, ChannelAttrs back, int cbProgram, CallbackSecurity cbSec) {
        ReplyCacheBudget.Grant g = replyCache.reserve(fore.maxRequests(), fore.maxResponseSizeCached());
        ChannelAttrs granted = new ChannelAttrs(fore.headerPadSize(), fore.maxRequestSize(), fore.maxResponseSize(),
                g.cachedSize(), fore.maxOperations(), g.slots());
        Session s;
        do {
            s = new Session(ids.sessionId(), client, granted, back, cbProgram, cbSec, g);
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
        if (sessions.remove(new OpaqueKey(s.id())) != null) {
            replyCache.release(s.replyCacheGrant());
        }
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
