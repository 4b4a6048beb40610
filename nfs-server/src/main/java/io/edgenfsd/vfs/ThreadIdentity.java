package io.edgenfsd.vfs;

/** Applies a caller's uid/gid/groups to the current worker thread so the kernel checks permissions. */
public interface ThreadIdentity {
    boolean supported();

    void become(int uid, int gid, int[] groups);

    void reset();

    ThreadIdentity NONE = new ThreadIdentity() {
        @Override
        public boolean supported() {
            return false;
        }

        @Override
        public void become(int uid, int gid, int[] groups) {
        }

        @Override
        public void reset() {
        }
    };
}
