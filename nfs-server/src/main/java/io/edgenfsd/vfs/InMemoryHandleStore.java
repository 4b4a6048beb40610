package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.export.Export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fallback for unprivileged runs (no open_by_handle_at): handles name (device, inode) and a table maps them
 * to the last path we saw. Handles do not survive a restart, and renames made on the host are not followed.
 */
public final class InMemoryHandleStore implements HandleStore {
    static final byte KIND = 0x02;
    private final Map<FileKey, Path> paths = new ConcurrentHashMap<>();

    @Override
    public byte[] handleFor(Export export, Path path, Stat stat) {
        paths.put(stat.key(), path);
        return ByteBuffer.allocate(21).put(KIND).putInt(export.id()).putLong(stat.dev()).putLong(stat.ino()).array();
    }

    @Override
    public int exportId(byte[] handle) throws NfsException {
        if (handle.length != 21 || handle[0] != KIND) {
            throw new NfsException(NfsStatus.BADHANDLE, "not one of our handles");
        }
        return ByteBuffer.wrap(handle, 1, 4).getInt();
    }

    @Override
    public Path resolve(Export export, byte[] handle) throws NfsException {
        ByteBuffer b = ByteBuffer.wrap(handle, 5, 16);
        FileKey key = new FileKey(b.getLong(), b.getLong());
        Path p = paths.get(key);
        if (p == null) {
            throw new NfsException(NfsStatus.STALE, "unknown handle (server restarted?)");
        }
        try {
            Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (((Number) ino).longValue() != key.ino()) {
                throw new NfsException(NfsStatus.STALE, "object at " + p + " was replaced");
            }
        } catch (IOException e) {
            throw new NfsException(NfsStatus.STALE, "object gone: " + p);
        }
        return p;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public void renamed(Path from, Path to) {
        for (Map.Entry<FileKey, Path> e : paths.entrySet()) {
            Path p = e.getValue();
            if (p.startsWith(from)) {
                e.setValue(to.resolve(from.relativize(p)));
            }
        }
    }
}
