package io.edgenfsd.state;

import io.edgenfsd.vfs.FileKey;

/** The byte-range locks of one lock-owner on one file, tied to the open they came from (section 9.4). */
public final class LockState extends State {
    final LockOwner owner;
    final OpenState open;

    LockState(byte[] other, ClientRecord client, FileKey file, LockOwner owner, OpenState open) {
        super(other, client, file);
        this.owner = owner;
        this.open = open;
    }

    public LockOwner owner() {
        return owner;
    }

    public OpenState open() {
        return open;
    }
}
