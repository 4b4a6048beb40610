package io.edgenfsd.ops;

import io.edgenfsd.vfs.FileKey;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verifier of an exclusive create (RFC 8881 section 18.16.3), kept so a retransmitted create
 * succeeds instead of failing with EXIST: in a user xattr when the filesystem has them (written by
 * {@link LocalFs#createFile}, surviving a restart), and in a bounded in-memory table.
 */
public final class ExclusiveVerifiers {
    private final Map<FileKey, byte[]> memory = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileKey, byte[]> e) {
            return size() > 4096;
        }
    });

    private static FileKey key(Inode i) {
        return new FileKey(i.key().dev(), i.key().ino());
    }

    void store(Inode file, byte[] verifier) {
        memory.put(key(file), verifier.clone());
    }

    boolean matches(LocalFs fs, Inode file, byte[] verifier) {
        byte[] m = memory.get(key(file));
        if (m != null) {
            return Arrays.equals(m, verifier);
        }
        return Arrays.equals(fs.verifierOf(file), verifier);
    }
}
