package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Client records and their leases (RFC 8881 sections 8.3 and 18.35.4). Lookups are lock-free; the table's
 * monitor guards only the record maps, for EXCHANGE_ID, confirmation and expiry, and is never held while a
 * client's sessions or state are released (the caller does that after, see {@link StateManager}).
 */
final class ClientTable {
    private static final Logger log = LoggerFactory.getLogger(ClientTable.class);
    /** Slack beyond the lease for network delay before a silent client's lease counts as expired. */
    static final long EXPIRY_SLACK_SECONDS = 5;

    private final IdAllocator ids;
    private final Refusals refusals;
    private final int leaseSeconds;
    private final Map<Long, ClientRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, ClientRecord> confirmedByOwner = new ConcurrentHashMap<>();
    private final Map<String, ClientRecord> unconfirmedByOwner = new ConcurrentHashMap<>();

    ClientTable(IdAllocator ids, Refusals refusals, int leaseSeconds) {
        this.ids = ids;
        this.refusals = refusals;
        this.leaseSeconds = leaseSeconds;
    }

    /** EXCHANGE_ID's outcome, and a record it displaced whose sessions and state the caller must release. */
    record Exchange(StateManager.ExchangeResult result, ClientRecord displaced) {
    }

    private static ClientRecord live(ClientRecord c) {
        return c == null || c.expired ? null : c;
    }

    private boolean leaseExpired(ClientRecord c) {
        return System.nanoTime() - c.lastRenewNanos > TimeUnit.SECONDS.toNanos(leaseSeconds);
    }

    /**
     * EXCHANGE_ID's nine cases (section 18.35.4). A confirmed record is only ever replaced by its own
     * principal (a client restart, case 5, and then only once the new record is confirmed); a different
     * principal gets NFS4ERR_CLID_INUSE while the record has state and an unexpired lease (case 3).
     */
    synchronized Exchange exchange(byte[] ownerId, byte[] verifier, boolean update, Principal caller,
                                   StateProtection protection, InetSocketAddress from) throws NfsException {
        String k = ClientStore.key(ownerId);
        ClientRecord conf = live(confirmedByOwner.get(k));
        ClientRecord displaced = null;
        if (update) {
            if (conf == null) {
                throw new NfsException(NfsStatus.NOENT, "update of a client with no confirmed record"); // case 7
            }
            if (!conf.principal().equals(caller)) {
                throw refusals.refuse(conf, caller, from, NfsStatus.PERM, "EXCHANGE_ID update"); // case 9
            }
            if (!Arrays.equals(conf.verifier(), verifier)) {
                throw new NfsException(NfsStatus.NOT_SAME, "verifier differs on update"); // case 8
            }
            return new Exchange(new StateManager.ExchangeResult(conf, true), null); // case 6
        }
        if (conf != null) {
            if (!conf.principal().equals(caller)) { // case 3
                boolean guarded = conf.hasState() || conf.protection().machineCredential();
                if (guarded && !leaseExpired(conf)) {
                    throw refusals.refuse(conf, caller, from, NfsStatus.CLID_INUSE, "EXCHANGE_ID with the owner");
                }
                log.info("client {} of {} replaced by {}: it held no state or its lease had expired",
                        StateManager.printable(ownerId), conf.principal(), caller);
                remove(conf);
                displaced = conf;
            } else if (Arrays.equals(conf.verifier(), verifier)) {
                return new Exchange(new StateManager.ExchangeResult(conf, true), null); // case 2
            }
            // case 5 (same principal, new verifier): the old record lives until the new one is confirmed
        }
        ClientRecord unconf = unconfirmedByOwner.get(k); // case 4
        if (unconf != null) {
            remove(unconf);
        }
        ClientRecord rec;
        do {
            rec = new ClientRecord(ids.clientId(), Arrays.copyOf(ownerId, ownerId.length),
                    Arrays.copyOf(verifier, verifier.length), caller, protection);
        } while (byId.putIfAbsent(rec.clientId(), rec) != null);
        unconfirmedByOwner.put(k, rec);
        return new Exchange(new StateManager.ExchangeResult(rec, false), displaced); // case 1
    }

    ClientRecord client(long clientId) throws NfsException {
        ClientRecord c = byId.get(clientId);
        if (c == null || c.expired) {
            throw new NfsException(NfsStatus.STALE_CLIENTID, "unknown client id " + Long.toHexString(clientId));
        }
        return c;
    }

    ClientRecord find(long clientId) {
        return byId.get(clientId);
    }

    /**
     * Makes an unconfirmed record the confirmed one (section 18.36.4 phase 3); returns the previous
     * incarnation's record (18.35.4 case 5), now removed, whose state the caller releases.
     */
    synchronized ClientRecord confirm(ClientRecord c) {
        String k = ClientStore.key(c.ownerId());
        ClientRecord old = confirmedByOwner.get(k);
        unconfirmedByOwner.remove(k, c);
        confirmedByOwner.put(k, c);
        c.confirmed = true;
        if (old != null && old != c) {
            log.info("client {} restarted; dropping its previous state", StateManager.printable(c.ownerId()));
            old.expired = true;
            byId.remove(old.clientId(), old);
            return old;
        }
        return null;
    }

    /** Takes a record out of the table (marks it expired); false if it was gone already. */
    synchronized boolean remove(ClientRecord c) {
        boolean was = !c.expired;
        c.expired = true;
        byId.remove(c.clientId(), c);
        String k = ClientStore.key(c.ownerId());
        confirmedByOwner.remove(k, c);
        unconfirmedByOwner.remove(k, c);
        return was;
    }

    /** Clients silent for a lease plus slack (section 8.3), as of {@code now}. */
    List<ClientRecord> idle(long now) {
        long limit = TimeUnit.SECONDS.toNanos(leaseSeconds + EXPIRY_SLACK_SECONDS);
        List<ClientRecord> out = new ArrayList<>();
        for (ClientRecord c : byId.values()) {
            if (now - c.lastRenewNanos > limit) {
                out.add(c);
            }
        }
        return out;
    }

    int size() {
        return byId.size();
    }

    int confirmedCount() {
        return confirmedByOwner.size();
    }

    List<ClientRecord> all() {
        return new ArrayList<>(byId.values());
    }
}
