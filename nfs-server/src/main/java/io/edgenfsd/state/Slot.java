package io.edgenfsd.state;

/**
 * One slot of a session's fore channel (RFC 8881 section 2.10.6.1): the last sequence id seen and the
 * reply sent for it, so a retransmission gets the same reply instead of a second execution.
 */
public final class Slot {
    int seqid;
    boolean inProgress;
    /** Complete encoded COMPOUND4res of the last request, or null when it was not cached. */
    byte[] cachedReply;

    public synchronized int seqid() {
        return seqid;
    }
}
