package io.edgenfsd.state;

import io.edgenfsd.vfs.FileKey;

import java.util.Arrays;

/**
 * One delegation (RFC 8881 section 10.4): a client may cache a file's data and attributes, and for a write
 * delegation also its writes, until the server recalls it. Its stateid keeps seqid 1 for its whole life.
 */
public final class Delegation {
    /** open_delegation_type4. */
    public static final int READ = 1;
    public static final int WRITE = 2;

    final byte[] other;
    final ClientRecord client;
    final FileKey file;
    final byte[] fileHandle;
    final int type;
    /** System.nanoTime() when CB_RECALL was first sent; 0 while not recalled. Guarded by the file's entry. */
    long recallStartedNanos;
    volatile boolean revoked;
    volatile boolean returned;

    Delegation(byte[] other, ClientRecord client, FileKey file, byte[] fileHandle, int type) {
        this.other = other;
        this.client = client;
        this.file = file;
        this.fileHandle = fileHandle;
        this.type = type;
    }

    public StateId stateId() {
        return new StateId(1, other);
    }

    public ClientRecord client() {
        return client;
    }

    public FileKey file() {
        return file;
    }

    /** The file handle the holder knows the file by, for CB_RECALL (section 20.2). */
    public byte[] fileHandle() {
        return Arrays.copyOf(fileHandle, fileHandle.length);
    }

    public int type() {
        return type;
    }

    public boolean revoked() {
        return revoked;
    }

    @Override
    public String toString() {
        return (type == WRITE ? "write" : "read") + " delegation " + stateId();
    }
}
