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
    /** For a write delegation: the change and size last known from the holder (section 10.4.3). */
    private long holderChange;
    private long holderSize;

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

    /** The file's change attribute and size when a write delegation was granted. */
    public synchronized void grantedAt(long change, long size) {
        holderChange = change;
        holderSize = size;
    }

    /**
     * What the holder answered to CB_GETATTR: true when it differs from what it answered last (or from the
     * file at the grant), i.e. the holder has modified the file since (section 10.4.3).
     */
    public synchronized boolean holderReports(long change, long size) {
        boolean modified = change != holderChange || size != holderSize;
        holderChange = change;
        holderSize = size;
        return modified;
    }

    public boolean revoked() {
        return revoked;
    }

    @Override
    public String toString() {
        return (type == WRITE ? "write" : "read") + " delegation " + stateId();
    }
}
