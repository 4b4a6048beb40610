package io.edgenfsd.server;

import io.edgenfsd.vfs.ThreadIdentity;
import io.edgenfsd.vfs.linux.ThreadCredentials;

/** {@link ThreadIdentity} through setfsuid/setfsgid/setgroups on the worker thread. */
final class KernelIdentity implements ThreadIdentity {
    @Override
    public boolean supported() {
        return ThreadCredentials.supported();
    }

    @Override
    public void become(int uid, int gid, int[] groups) {
        ThreadCredentials.become(uid, gid, groups);
    }

    @Override
    public void reset() {
        ThreadCredentials.reset();
    }
}
