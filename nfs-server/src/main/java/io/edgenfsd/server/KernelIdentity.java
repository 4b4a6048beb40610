package io.edgenfsd.server;

import io.edgenfsd.vfs.ThreadIdentity;
import io.edgenfsd.vfs.linux.ThreadCredentials;

import java.util.Arrays;

/**
 * {@link ThreadIdentity} through setfsuid/setfsgid/setgroups on the worker thread. Remembers what each
 * thread has applied, so consecutive operations of the same caller cost no system call.
 */
final class KernelIdentity implements ThreadIdentity {

    private record Applied(int uid, int gid, int[] groups) {
        boolean is(int u, int g, int[] gs) {
            return uid == u && gid == g && Arrays.equals(groups, gs);
        }
    }

    /** What this thread runs as; null means the server's own identity. */
    private final ThreadLocal<Applied> applied = new ThreadLocal<>();

    @Override
    public boolean supported() {
        return ThreadCredentials.supported();
    }

    @Override
    public void become(int uid, int gid, int[] groups) {
        Applied a = applied.get();
        if (a != null && a.is(uid, gid, groups)) {
            return;
        }
        applied.set(null); // if the switch fails, ThreadCredentials has reset the thread
        ThreadCredentials.become(uid, gid, groups);
        applied.set(new Applied(uid, gid, Arrays.copyOf(groups, groups.length)));
    }

    @Override
    public Suspended suspend() {
        Applied a = applied.get();
        if (a == null) {
            return () -> { };
        }
        reset();
        return () -> become(a.uid(), a.gid(), a.groups());
    }

    @Override
    public void reset() {
        if (applied.get() == null) {
            return;
        }
        ThreadCredentials.reset();
        applied.set(null);
    }

}
