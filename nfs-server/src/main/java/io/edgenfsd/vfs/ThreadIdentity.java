package io.edgenfsd.vfs;

/** Applies a caller's uid/gid/groups to the current worker thread so the kernel checks permissions. */
public interface ThreadIdentity {
    boolean supported();

    void become(int uid, int gid, int[] groups);

    void reset();

    /** Restores what {@link #suspend} interrupted. */
    interface Suspended extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs as the server until the result is closed, then as whoever the thread was before: for the few
     * calls only the server may make (open_by_handle_at needs CAP_DAC_READ_SEARCH) in the middle of an
     * operation done as the caller.
     */
    default Suspended suspend() {
        return () -> { };
    }

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
