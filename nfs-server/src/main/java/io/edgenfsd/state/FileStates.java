package io.edgenfsd.state;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.FileKey;
import io.edgenfsd.xdr.OpaqueKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Opens and byte-range lock states, locked per file (RFC 8881 sections 9 and 18.10-18.18). Each file with
 * state has a {@link FileState} whose monitor guards its opens and lock states; OPEN, CLOSE, OPEN_DOWNGRADE,
 * LOCK, LOCKU and FREE_STATEID of one file run one at a time and re-check under it that the state they act on
 * is still there (a stateid is found without the lock, so a CLOSE may have released it meanwhile). Different
 * files never wait for each other. Lock order: a file's monitor, then a state's, then the byte-range table.
 */
final class FileStates {
    private final IdAllocator ids;
    private final ByteRangeLocks locks = new ByteRangeLocks();
    private final Map<OpaqueKey, State> states = new ConcurrentHashMap<>();
    private final Map<FileKey, FileState> files = new ConcurrentHashMap<>();
    private volatile Consumer<OpenState> onOpenReleased = s -> { };

    /** The state of one file; dropped from the table (and marked dead) once it holds nothing. */
    static final class FileState {
        final List<OpenState> opens = new ArrayList<>();
        final List<LockState> lockStates = new ArrayList<>();
        final List<OpenState> released = new ArrayList<>();
        boolean dead;
    }

    interface FileOp<T> {
        T run(FileState f) throws NfsException;
    }

    FileStates(IdAllocator ids) {
        this.ids = ids;
    }

    void onOpenReleased(Consumer<OpenState> c) {
        onOpenReleased = c;
    }

    ByteRangeLocks locks() {
        return locks;
    }

    /** Runs {@code op} under the file's monitor; opens it released are reported after the monitor is left. */
    private <T> T withFile(FileKey key, FileOp<T> op) throws NfsException {
        while (true) {
            FileState f = files.computeIfAbsent(key, k -> new FileState());
            List<OpenState> released;
            T result;
            synchronized (f) {
                if (f.dead) {
                    continue; // emptied and dropped meanwhile: take the new one
                }
                try {
                    result = op.run(f);
                } finally {
                    if (f.opens.isEmpty() && f.lockStates.isEmpty()) {
                        f.dead = true;
                        files.remove(key, f);
                    }
                    released = f.released.isEmpty() ? List.of() : new ArrayList<>(f.released);
                    f.released.clear();
                }
            }
            released.forEach(onOpenReleased);
            return result;
        }
    }

    private <T extends State> T register(Function<byte[], T> make) {
        T st;
        do {
            st = make.apply(ids.stateOther());
        } while (states.putIfAbsent(new OpaqueKey(st.other), st) != null);
        st.client.liveStates.add(st);
        return st;
    }

    private void unregister(State st) {
        st.closed = true;
        states.remove(new OpaqueKey(st.other));
        st.client.liveStates.remove(st);
    }

    static int shareConflict(List<OpenState> others, int access, int deny) {
        for (OpenState o : others) {
            if ((o.deny & access) != 0 || (o.access & deny) != 0) {
                return 1;
            }
        }
        return 0;
    }

    OpenState open(ClientRecord client, OpenOwner owner, FileKey file, int access, int deny) throws NfsException {
        return withFile(file, f -> {
            List<OpenState> others = new ArrayList<>();
            OpenState mine = null;
            for (OpenState o : f.opens) {
                if (o.owner.equals(owner)) {
                    mine = o;
                } else {
                    others.add(o);
                }
            }
            if (shareConflict(others, access, deny) != 0) {
                throw new NfsException(NfsStatus.SHARE_DENIED, "share reservation conflict");
            }
            if (mine != null) {
                synchronized (mine) {
                    mine.access |= access;
                    mine.deny |= deny;
                    mine.accessHistory |= access;
                    mine.denyHistory |= deny;
                    mine.bump();
                }
                return mine;
            }
            OpenState o = register(other -> new OpenState(other, client, file, owner));
            o.access = access;
            o.deny = deny;
            o.accessHistory = access;
            o.denyHistory = deny;
            f.opens.add(o);
            client.openOwners.add(owner);
            return o;
        });
    }

    /** A copy of the file's opens, taken under its monitor (empty when the file has no state). */
    List<OpenState> opensOf(FileKey file) {
        while (true) {
            FileState f = files.get(file);
            if (f == null) {
                return new ArrayList<>();
            }
            synchronized (f) {
                if (!f.dead) {
                    return new ArrayList<>(f.opens);
                }
            }
        }
    }

    private static void requireOpen(State st, String what) throws NfsException {
        if (st.closed) {
            throw new NfsException(NfsStatus.BAD_STATEID, what + ": the state was released meanwhile");
        }
    }

    StateId downgrade(OpenState o, int access, int deny) throws NfsException {
        return withFile(o.file, f -> {
            requireOpen(o, "OPEN_DOWNGRADE");
            synchronized (o) {
                if ((access & ~o.access) != 0 || (deny & ~o.deny) != 0 || access == 0) {
                    throw new NfsException(NfsStatus.INVAL, "downgrade is not a subset");
                }
                o.access = access;
                o.deny = deny;
                return o.bump();
            }
        });
    }

    StateId close(OpenState o) throws NfsException {
        return withFile(o.file, f -> {
            requireOpen(o, "CLOSE"); // of two CLOSEs of one stateid only the first succeeds
            for (LockState l : f.lockStates) {
                if (l.open == o && locks.holdsAny(l.file, l.owner)) {
                    throw new NfsException(NfsStatus.LOCKS_HELD, "locks still held");
                }
            }
            StateId result = o.bump();
            release(f, o);
            return result;
        });
    }

    private void release(FileState f, OpenState o) {
        unregister(o);
        f.opens.remove(o);
        f.released.add(o);
        for (LockState l : new ArrayList<>(f.lockStates)) {
            if (l.open == o) {
                releaseLockState(f, l);
            }
        }
    }

    private void releaseLockState(FileState f, LockState l) {
        locks.releaseAll(l.file, l.owner);
        unregister(l);
        f.lockStates.remove(l);
    }

    /** Releases every open and lock of a client that is gone (lease expired, rebooted or destroyed). */
    void releaseClient(ClientRecord c) throws NfsException {
        for (State st : new ArrayList<>(c.liveStates)) {
            withFile(st.file, f -> {
                if (!st.closed) {
                    if (st instanceof OpenState o) {
                        release(f, o);
                    } else if (st instanceof LockState l) {
                        releaseLockState(f, l);
                    }
                }
                return null;
            });
        }
    }

    /** Finds the state a non-special stateid names, checking seqid and ownership (section 8.2). */
    State find(StateId id, ClientRecord client) throws NfsException {
        byte[] other = id.other();
        if (!ids.isCurrent(other)) {
            throw new NfsException(NfsStatus.STALE_STATEID, "stateid from before a restart");
        }
        State st = states.get(new OpaqueKey(other));
        if (st == null || st.closed || st.client != client) {
            throw new NfsException(NfsStatus.BAD_STATEID, "unknown stateid " + id);
        }
        synchronized (st) {
            if (id.seqid() != 0) {
                if (Integer.compareUnsigned(id.seqid(), st.seqid) > 0) {
                    throw new NfsException(NfsStatus.BAD_STATEID, "stateid seqid from the future");
                }
                if (id.seqid() != st.seqid) {
                    throw new NfsException(NfsStatus.OLD_STATEID, "old stateid seqid");
                }
            }
        }
        return st;
    }

    /** FREE_STATEID (section 18.38): only a lock state that holds no locks, and only its current seqid. */
    void free(StateId id, ClientRecord client) throws NfsException {
        State st = find(id, client);
        if (st instanceof OpenState) {
            throw new NfsException(NfsStatus.LOCKS_HELD, "FREE_STATEID of an open stateid");
        }
        LockState l = (LockState) st;
        withFile(l.file, f -> {
            requireOpen(l, "FREE_STATEID");
            if (locks.holdsAny(l.file, l.owner)) {
                throw new NfsException(NfsStatus.LOCKS_HELD, "lock stateid still holds locks");
            }
            unregister(l);
            f.lockStates.remove(l);
            return null;
        });
    }

    private LockState lockStateIn(FileState f, ClientRecord client, OpenState open, LockOwner owner) {
        for (LockState l : f.lockStates) {
            if (l.open == open && l.owner.equals(owner)) {
                return l;
            }
        }
        LockState l = register(other -> new LockState(other, client, open.file, owner, open));
        l.seqid = 0;
        f.lockStates.add(l);
        client.lockOwners.add(owner);
        return l;
    }

    LockState lockState(ClientRecord client, OpenState open, LockOwner owner) throws NfsException {
        return withFile(open.file, f -> {
            requireOpen(open, "LOCK");
            return lockStateIn(f, client, open, owner);
        });
    }

    /**
     * LOCK as one step under the file's monitor: the open must still be open (a CLOSE racing with this LOCK
     * released it or not, never half), find or make the lock state, take the range, bump the seqid.
     */
    StateManager.LockResult lock(ClientRecord client, OpenState open, LockOwner newOwner, LockState existing,
                                 boolean write, long start, long end) throws NfsException {
        return withFile(open.file, f -> {
            requireOpen(open, "LOCK");
            LockState ls = existing != null ? existing : lockStateIn(f, client, open, newOwner);
            requireOpen(ls, "LOCK");
            Optional<ByteRangeLocks.Lock> conflict = locks.lock(ls.file, ls.owner, write, start, end);
            if (conflict.isPresent()) {
                return new StateManager.LockResult(null, conflict.get());
            }
            return new StateManager.LockResult(ls.bump(), null);
        });
    }

    StateId unlock(LockState ls, long start, long end) throws NfsException {
        return withFile(ls.file, f -> {
            requireOpen(ls, "LOCKU");
            locks.unlock(ls.file, ls.owner, start, end);
            return ls.bump();
        });
    }

    int openCount() {
        int n = 0;
        for (State st : states.values()) {
            if (st instanceof OpenState) {
                n++;
            }
        }
        return n;
    }

    /** The live opens, a snapshot (for status reporting). */
    List<OpenState> opens() {
        List<OpenState> out = new ArrayList<>();
        for (State st : states.values()) {
            if (st instanceof OpenState o && !o.closed) {
                out.add(o);
            }
        }
        return out;
    }

    int lockStateCount() {
        return states.size() - openCount();
    }

    int fileCount() {
        return files.size();
    }
}
