package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The objects that lost their last name while some client holds an OPEN of them, kept reachable through their handle until the last CLOSE: a
 * REMOVE or a RENAME over such a file drops its last name, but the open's handle must not turn STALE, so
 * that the holder can still READ, WRITE and CLOSE it (knfsd keeps the inode through the open file; RFC 8881
 * section 18.25.4 leaves an open file's fate after REMOVE to the server, and pynfs RNM21 closes it). The
 * object's fd pins the inode and its blocks just as a local process's open file does. Only removed objects
 * are held (taken over from the {@link ObjectCache} at the REMOVE or RENAME), so open files cost nothing here.
 */
final class OpenObjects {
    record Held(Export export, FsObject object) {
    }

    private final Map<HandleKey, Held> byHandle = new HashMap<>();
    private final Map<FileKey, HandleKey> byFile = new HashMap<>();

    /**
     * Keeps the object {@code handle} names until {@link #release}, if {@code stillOpen} says some open of
     * it remains (checked under this lock, so a concurrent last CLOSE either sees it held or is seen).
     */
    synchronized void hold(FileKey file, HandleKey handle, Export export, FsObject o, Predicate<FileKey> stillOpen) {
        if (!byFile.containsKey(file) && stillOpen.test(file)) {
            byFile.put(file, handle);
            byHandle.put(handle, new Held(export, o));
            o.pin(); // its fds outlive the name until the last CLOSE
        }
    }

    /** Lets the object go unless {@code stillOpen} says some open of it remains (checked under this lock). */
    synchronized void release(FileKey file, Predicate<FileKey> stillOpen) {
        if (!byFile.containsKey(file) || stillOpen.test(file)) {
            return;
        }
        Held h = byHandle.remove(byFile.remove(file));
        if (h != null) {
            h.object().unpin(); // the last unpin retires the fds of a file with no name left
        }
    }

    synchronized Held get(byte[] handle) {
        return byHandle.isEmpty() ? null : byHandle.get(new HandleKey(handle));
    }

    synchronized int size() {
        return byHandle.size();
    }
}
