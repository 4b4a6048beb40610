package io.edgenfsd.rpc;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;

/**
 * Netty's estimator counts a {@link FileRegion} as 0 bytes, so a socket queue of unsent sendfile READ replies
 * would never reach the write-buffer high water mark. Here a region counts by what is left of it.
 */
final class RegionCountingEstimator implements MessageSizeEstimator {
    static final RegionCountingEstimator INSTANCE = new RegionCountingEstimator();
    private static final Handle HANDLE = new Handle() {
        private final Handle bytes = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public int size(Object msg) {
            if (msg instanceof FileRegion r) {
                return (int) Math.min(Integer.MAX_VALUE, r.count() - r.transferred());
            }
            return bytes.size(msg);
        }
    };

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
