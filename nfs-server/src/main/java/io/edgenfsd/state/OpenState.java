package io.edgenfsd.state;

import io.edgenfsd.vfs.FileKey;

/** The open of one file by one open-owner, with its share access and deny bits (section 9.7). */
public final class OpenState extends State {
    public static final int ACCESS_READ = 1;
    public static final int ACCESS_WRITE = 2;

    final OpenOwner owner;
    int access;
    int deny;
    /** Every access/deny ever granted on this open, for OPEN_DOWNGRADE's subset rule (section 18.18.3). */
    int accessHistory;
    int denyHistory;

    OpenState(byte[] other, ClientRecord client, FileKey file, OpenOwner owner) {
        super(other, client, file);
        this.owner = owner;
    }

    public OpenOwner owner() {
        return owner;
    }

    public synchronized int access() {
        return access;
    }

    public synchronized int deny() {
        return deny;
    }
}
