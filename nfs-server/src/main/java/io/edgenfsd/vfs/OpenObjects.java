package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The objects some client holds an OPEN of, kept reachable through their handle until the last CLOSE: a
 * REMOVE or a RENAME over such a file drops its last name, but the open's handle must not turn STALE, so
 * that the holder can still READ, WRITE and CLOSE it (knfsd keeps the inode through the open file; RFC 8881
 * section 18.25.4 leaves an open file's fate after REMOVE to the server, and pynfs RNM21 closes it). The
 * object's fd pins the inode and its blocks just as a local process's open file does.
 */
final class OpenObjects {
    record Held(Export export, FsObject object) {
    }

    private final Map<HandleKey, Held> byHandle = new HashMap<>();
    private final Map<FileKey, HandleKey> byFile = new HashMap<>();

    /** Keeps {@code file}'s object until {@link #release}; a second hold of one object changes nothing. */
    synchronized void hold(Inode file, FsObject o) {
        if (byFile.putIfAbsent(file.key(), new HandleKey(file.handleBytes())) == null) {
            byHandle.put(new HandleKey(file.handleBytes()), new Held(file.export(), o));
        }
    }

    /** Lets the object go unless {@code stillOpen} says some open of it remains (checked under this lock). */
    synchronized void release(FileKey file, Predicate<FileKey> stillOpen) {
        if (!byFile.containsKey(file) || stillOpen.test(file)) {
            return;
        }
        byHandle.remove(byFile.remove(file));
    }

    synchronized Held get(byte[] handle) {
        return byHandle.isEmpty() ? null : byHandle.get(new HandleKey(handle));
    }

    synchronized int size() {
        return byHandle.size();
    }
}
