package io.edgenfsd.ops;

import io.edgenfsd.vfs.FileKey;
import io.edgenfsd.vfs.Stat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The verifier of an exclusive create (RFC 8881 section 18.16.3), kept so a retransmitted create
 * succeeds instead of failing with EXIST: in a user xattr when the filesystem has them (surviving a
 * restart), else in a bounded in-memory table.
 */
public final class ExclusiveVerifiers {
    private static final String XATTR = "edge-nfsd.verifier";
    private final Map<FileKey, byte[]> memory = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileKey, byte[]> e) {
            return size() > 4096;
        }
    });

    void store(Path p, Stat st, byte[] verifier) {
        memory.put(st.key(), verifier.clone());
        try {
            view(p).write(XATTR, ByteBuffer.wrap(verifier));
        } catch (IOException | UnsupportedOperationException e) {
            // no user xattrs here: the in-memory copy covers retransmissions until a restart
        }
    }

    boolean matches(Path p, Stat st, byte[] verifier) {
        byte[] m = memory.get(st.key());
        if (m != null) {
            return Arrays.equals(m, verifier);
        }
        try {
            UserDefinedFileAttributeView v = view(p);
            ByteBuffer b = ByteBuffer.allocate(8);
            if (v.size(XATTR) != 8) {
                return false;
            }
            v.read(XATTR, b);
            return Arrays.equals(b.array(), verifier);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static UserDefinedFileAttributeView view(Path p) {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (v == null) {
            throw new UnsupportedOperationException("no user xattrs");
        }
        return v;
    }
}
