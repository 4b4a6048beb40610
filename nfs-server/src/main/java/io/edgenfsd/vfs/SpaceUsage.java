package io.edgenfsd.vfs;

import java.nio.file.Path;

/** Bytes a file occupies on disk (st_blocks * 512), used for space_used and sparse files. */
final class SpaceUsage {
    private SpaceUsage() {
    }

    static long bytesAllocated(Path p, long size) {
        return (size + 4095) & ~4095L;
    }
}
