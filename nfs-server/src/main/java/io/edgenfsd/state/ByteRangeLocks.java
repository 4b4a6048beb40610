package io.edgenfsd.state;

import io.edgenfsd.vfs.FileKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * POSIX-style byte-range locks among NFS lock-owners. Ranges are [start, end) in unsigned 64-bit space;
 * {@code end == -1L} (all ones) means "to the end of the file".
 */
public final class ByteRangeLocks {
    public static final long TO_EOF = -1L;

    public record Lock(LockOwner owner, boolean write, long start, long end) {
        boolean overlaps(long s, long e) {
            return Long.compareUnsigned(start, e) < 0 && Long.compareUnsigned(s, end) < 0;
        }
    }

    private final Map<FileKey, List<Lock>> byFile = new HashMap<>();

    /** A copy of every lock, by file (for {@link StateView}). */
    synchronized Map<FileKey, List<Lock>> snapshot() {
        Map<FileKey, List<Lock>> m = new HashMap<>();
        byFile.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    /** The first lock of another owner that conflicts with the request, if any. */
    public synchronized Optional<Lock> conflict(FileKey file, LockOwner owner, boolean write, long start, long end) {
        for (Lock l : byFile.getOrDefault(file, List.of())) {
            if (!l.owner.equals(owner) && (write || l.write) && l.overlaps(start, end)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** Adds the lock, replacing the owner's own locks in the range (POSIX upgrade/downgrade/merge). */
    public synchronized Optional<Lock> lock(FileKey file, LockOwner owner, boolean write, long start, long end) {
        Optional<Lock> c = conflict(file, owner, write, start, end);
        if (c.isPresent()) {
            return c;
        }
        List<Lock> list = byFile.computeIfAbsent(file, k -> new ArrayList<>());
        removeRange(list, owner, start, end);
        list.add(new Lock(owner, write, start, end));
        return Optional.empty();
    }

    public synchronized void unlock(FileKey file, LockOwner owner, long start, long end) {
        List<Lock> list = byFile.get(file);
        if (list != null) {
            removeRange(list, owner, start, end);
            if (list.isEmpty()) {
                byFile.remove(file);
            }
        }
    }

    public synchronized void releaseAll(FileKey file, LockOwner owner) {
        List<Lock> list = byFile.get(file);
        if (list != null) {
            list.removeIf(l -> l.owner.equals(owner));
            if (list.isEmpty()) {
                byFile.remove(file);
            }
        }
    }

    public synchronized boolean holdsAny(FileKey file, LockOwner owner) {
        for (Lock l : byFile.getOrDefault(file, List.of())) {
            if (l.owner.equals(owner)) {
                return true;
            }
        }
        return false;
    }

    private static void removeRange(List<Lock> list, LockOwner owner, long start, long end) {
        List<Lock> pieces = new ArrayList<>();
        for (Iterator<Lock> it = list.iterator(); it.hasNext(); ) {
            Lock l = it.next();
            if (!l.owner.equals(owner) || !l.overlaps(start, end)) {
                continue;
            }
            it.remove();
            if (Long.compareUnsigned(l.start, start) < 0) {
                pieces.add(new Lock(owner, l.write, l.start, start));
            }
            if (end != TO_EOF && Long.compareUnsigned(end, l.end) < 0) {
                pieces.add(new Lock(owner, l.write, end, l.end));
            }
        }
        list.addAll(pieces);
    }
}
