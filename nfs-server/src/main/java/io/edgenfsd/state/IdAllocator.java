package io.edgenfsd.state;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Client ids, session ids and stateid "other" fields that another client cannot guess (RFC 8881 section
 * 2.10.8.3 and 8.2.1: a client able to guess them could act on another's state). Session ids and stateids
 * start with this instance's boot epoch, so ids from before a restart are told apart (NFS4ERR_STALE_STATEID)
 * rather than misread; what follows is SecureRandom output: 96 bits in a session id, 64 in a stateid. A
 * client id (only 64 bits wide) is all random: an id of an earlier instance is simply unknown here
 * (NFS4ERR_STALE_CLIENTID), and the tables that hand these out re-draw on the (2^-64) chance of a collision.
 */
public final class IdAllocator {
    public static final int SESSION_ID_BYTES = 16;
    public static final int OTHER_BYTES = 12;

    private final SecureRandom random = new SecureRandom();
    private final int bootEpoch;

    public IdAllocator(int bootEpoch) {
        this.bootEpoch = bootEpoch;
    }

    public int bootEpoch() {
        return bootEpoch;
    }

    /** 64 random bits, never 0 (a client id of 0 means "none" to some clients, e.g. pynfs's open owners). */
    public long clientId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }

    public byte[] sessionId() {
        byte[] id = new byte[SESSION_ID_BYTES];
        random.nextBytes(id);
        ByteBuffer.wrap(id).putInt(bootEpoch);
        return id;
    }

    public byte[] stateOther() {
        byte[] id = new byte[OTHER_BYTES];
        random.nextBytes(id);
        ByteBuffer.wrap(id).putInt(bootEpoch);
        return id;
    }

    /** Whether an id carries this instance's boot epoch (else it is from before a restart). */
    public boolean isCurrent(byte[] id) {
        return id.length >= 4 && ByteBuffer.wrap(id).getInt() == bootEpoch;
    }
}
