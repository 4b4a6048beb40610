package io.edgenfsd.state;

import io.edgenfsd.vfs.FileKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * Locks per file. Every operation runs inside the map's per-key compute, which serialises the operations
     * on one file (and only on it); a file's entry goes when its last lock does.
     */
    private final ConcurrentHashMap<FileKey, List<Lock>> byFile = new ConcurrentHashMap<>();

    /** A copy of every lock, by file (for {@link StateView}); each file's list is copied under its own key. */
    Map<FileKey, List<Lock>> snapshot() {
        Map<FileKey, List<Lock>> m = new HashMap<>();
        for (FileKey k : byFile.keySet()) {
            byFile.computeIfPresent(k, (key, list) -> {
                m.put(key, List.copyOf(list));
                return list;
            });
        }
        return m;
    }

    private static Optional<Lock> conflictIn(List<Lock> list, LockOwner owner, boolean write, long start, long end) {
        for (Lock l : list) {
            if (!l.owner.equals(owner) && (write || l.write) && l.overlaps(start, end)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** The first lock of another owner that conflicts with the request, if any. */
    public Optional<Lock> conflict(FileKey file, LockOwner owner, boolean write, long start, long end) {
        List<Optional<Lock>> r = new ArrayList<>(1);
        byFile.computeIfPresent(file, (k, list) -> {
            r.add(conflictIn(list, owner, write, start, end));
            return list;
        });
        return r.isEmpty() ? Optional.empty() : r.get(0);
    }

    /** Adds the lock, replacing the owner's own locks in the range (POSIX upgrade/downgrade/merge). */
    public Optional<Lock> lock(FileKey file, LockOwner owner, boolean write, long start, long end) {
        List<Optional<Lock>> r = new ArrayList<>(1);
        byFile.compute(file, (k, list) -> {
            List<Lock> l = list == null ? new ArrayList<>() : list;
            Optional<Lock> c = conflictIn(l, owner, write, start, end);
            r.add(c);
            if (c.isEmpty()) {
                removeRange(l, owner, start, end);
                l.add(new Lock(owner, write, start, end));
            }
            return l.isEmpty() ? null : l;
        });
        return r.get(0);
    }

    public void unlock(FileKey file, LockOwner owner, long start, long end) {
        byFile.computeIfPresent(file, (k, list) -> {
            removeRange(list, owner, start, end);
            return list.isEmpty() ? null : list;
        });
    }

    public void releaseAll(FileKey file, LockOwner owner) {
        byFile.computeIfPresent(file, (k, list) -> {
            list.removeIf(l -> l.owner.equals(owner));
            return list.isEmpty() ? null : list;
        });
    }

    public boolean holdsAny(FileKey file, LockOwner owner) {
        boolean[] r = new boolean[1];
        byFile.computeIfPresent(file, (k, list) -> {
            for (Lock l : list) {
                if (l.owner.equals(owner)) {
                    r[0] = true;
                    break;
                }
            }
            return list;
        });
        return r[0];
    }

    /** Byte ranges held, over all files (for status reporting). */
    public int size() {
        int[] n = new int[1];
        byFile.forEach((k, list) -> byFile.computeIfPresent(k, (k2, l) -> {
            n[0] += l.size();
            return l;
        }));
        return n[0];
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
