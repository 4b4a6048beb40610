package io.edgenfsd.state;

import io.edgenfsd.vfs.FileKey;

/** Common part of open and lock state: the stateid "other" bytes and its sequence. */
public abstract class State {
    final byte[] other;
    final ClientRecord client;
    final FileKey file;
    int seqid = 1;
    volatile boolean closed;

    State(byte[] other, ClientRecord client, FileKey file) {
        this.other = other;
        this.client = client;
        this.file = file;
    }

    public synchronized StateId stateId() {
        return new StateId(seqid, other);
    }

    /** Bumps the seqid as every state-changing operation must (section 8.2.2); never yields 0. */
    synchronized StateId bump() {
        seqid = seqid == -1 ? 1 : seqid + 1;
        return new StateId(seqid, other);
    }

    public ClientRecord client() {
        return client;
    }

    public FileKey file() {
        return file;
    }

    public boolean closed() {
        return closed;
    }
}
