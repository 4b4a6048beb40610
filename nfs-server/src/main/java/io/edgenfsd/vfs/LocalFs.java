package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only code that touches the local filesystem: handles, the pseudo filesystem joining the exports,
 * and the object operations the NFS operations need. Permission checks are the kernel's: the caller's
 * identity is already applied to the thread (see {@link ThreadIdentity}).
 */
public final class LocalFs {
    static final byte PSEUDO_KIND = (byte) 0xE0;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private volatile ExportTable exports;
    private final HandleStore handles;
    private final ChangeTracker changes = new ChangeTracker();
    private volatile Set<String> pseudoNodes;
    private volatile VolumeCapacity volumes = VolumeCapacity.NONE;
    private final long bootNs = System.currentTimeMillis() * 1_000_000L;

    public LocalFs(ExportTable exports, HandleStore handles) {
        this.exports = exports;
        this.handles = handles;
        this.pseudoNodes = pseudoNodes(exports);
    }

    private static Set<String> pseudoNodes(ExportTable exports) {
        Set<String> nodes = new TreeSet<>();
        for (Export e : exports.exports()) {
            String p = e.path();
            while (!p.equals("/")) {
                int slash = p.lastIndexOf('/');
                p = slash == 0 ? "/" : p.substring(0, slash);
                nodes.add(p);
            }
        }
        nodes.add("/");
        for (Export e : exports.exports()) {
            nodes.remove(e.path());
        }
        return java.util.Collections.unmodifiableSet(nodes);
    }

    /**
     * Reload hook: from the next call on, {@code next} is the export table. Handles of an export that is
     * gone resolve to NFS4ERR_STALE (its id is no longer in the table); an export kept keeps its id, so its
     * handles (and every client's state) carry on; its new options apply to each call from now on.
     */
    public synchronized void replaceExports(ExportTable next) throws java.io.IOException {
        handles.exportsChanged(next);
        Set<String> nodes = pseudoNodes(next);
        this.exports = next;
        this.pseudoNodes = nodes;
    }

    public HandleStore handles() {
        return handles;
    }

    public ExportTable exports() {
        return exports;
    }

    // ----- handles and the pseudo filesystem -----

    public Inode root(InetAddress client) throws NfsException {
        Optional<Export> rootExport = exports.byPath("/");
        if (rootExport.isPresent() && visible(rootExport.get(), client)) {
            return exportRoot(rootExport.get());
        }
        return pseudo("/");
    }

    private Inode pseudo(String p) {
        byte[] name = p.getBytes(StandardCharsets.UTF_8);
        byte[] h = new byte[1 + name.length];
        h[0] = PSEUDO_KIND;
        System.arraycopy(name, 0, h, 1, name.length);
        return Inode.pseudo(p, h, new FileKey(-1, pseudoFileId(p)));
    }

    static long pseudoFileId(String p) {
        if (p.equals("/")) {
            return 1;
        }
        long h = 1125899906842597L;
        for (int i = 0; i < p.length(); i++) {
            h = 31 * h + p.charAt(i);
        }
        return (h & 0x7FFFFFFFFFFFL) | 0x100000000000L;
    }

    public Inode exportRoot(Export e) throws NfsException {
        return realInode(e, Path.of(e.path()));
    }

    public Inode realInode(Export e, Path p) throws NfsException {
        Stat st = lstat(p);
        byte[] fh = handles.handleFor(e, p, st);
        return Inode.real(e, p, fh, FileKey.of(st.dev(), st.ino(), fh), st);
    }

    public boolean visible(Export e, InetAddress client) {
        return e.optionsFor(client).isPresent();
    }

    public Inode resolve(byte[] fh, InetAddress client) throws NfsException {
        if (fh.length == 0 || fh.length > 128) {
            throw new NfsException(NfsStatus.BADHANDLE, "handle length " + fh.length);
        }
        if (fh[0] == PSEUDO_KIND) {
            String p = new String(fh, 1, fh.length - 1, StandardCharsets.UTF_8);
            if (!pseudoNodes.contains(p)) {
                throw new NfsException(NfsStatus.STALE, "no such pseudo node");
            }
            return pseudo(p);
        }
        int id = handles.exportId(fh);
        Export e = exports.byId(id).orElseThrow(() -> new NfsException(NfsStatus.STALE, "export " + id + " gone"));
        HandleStore.Located at = handles.locate(e, fh);
        Path p = at.path();
        if (!p.startsWith(e.root()) && !KernelHandleStore.isDetached(p)) {
            throw new NfsException(NfsStatus.STALE, "object no longer inside its export");
        }
        if (at.key() != null) {
            return Inode.real(e, p, fh, at.key());
        }
        Stat st = lstat(p);
        return Inode.real(e, p, fh, FileKey.of(st.dev(), st.ino(), fh));
    }

    /** Children of a pseudo node that lead to an export visible to the client. */
    public List<String> pseudoChildren(String node, InetAddress client) {
        Set<String> names = new TreeSet<>();
        String prefix = node.equals("/") ? "/" : node + "/";
        for (Export e : exports.exports()) {
            if (e.path().startsWith(prefix) && !e.path().equals(node) && visible(e, client)) {
                String rest = e.path().substring(prefix.length());
                int slash = rest.indexOf('/');
                names.add(slash < 0 ? rest : rest.substring(0, slash));
            }
        }
        return new ArrayList<>(names);
    }

    public Inode lookup(Inode dir, String name, InetAddress client) throws NfsException {
        if (dir.isPseudo()) {
            if (!pseudoChildren(dir.pseudoPath(), client).contains(name)) {
                throw new NfsException(NfsStatus.NOENT, name);
            }
            String child = dir.pseudoPath().equals("/") ? "/" + name : dir.pseudoPath() + "/" + name;
            Optional<Export> e = exports.byPath(child);
            if (e.isPresent()) {
                return exportRoot(e.get());
            }
            return pseudo(child);
        }
        Stat dirStat = lstat(dir.path());
        if (!dirStat.isDirectory()) {
            throw new NfsException(dirStat.isSymlink() ? NfsStatus.SYMLINK : NfsStatus.NOTDIR, dir.toString());
        }
        return entry(dir, name, client);
    }

    /**
     * An entry of a directory the caller has already checked to be one (READDIR asks this once per entry,
     * so the directory is not stat'ed again each time).
     */
    public Inode entry(Inode dir, String name, InetAddress client) throws NfsException {
        if (dir.isPseudo()) {
            return lookup(dir, name, client);
        }
        Path p = dir.path().resolve(name);
        Optional<Export> nested = exports.byPath(p.toString());
        if (nested.isPresent() && visible(nested.get(), client)) {
            return exportRoot(nested.get());
        }
        return realInode(dir.export(), p);
    }

    public Inode parent(Inode dir, InetAddress client) throws NfsException {
        if (dir.isPseudo()) {
            String p = dir.pseudoPath();
            if (p.equals("/")) {
                throw new NfsException(NfsStatus.NOENT, "root has no parent");
            }
            int slash = p.lastIndexOf('/');
            return pseudo(slash == 0 ? "/" : p.substring(0, slash));
        }
        if (!lstat(dir.path()).isDirectory()) {
            throw new NfsException(NfsStatus.NOTDIR, dir.toString());
        }
        if (dir.isExportRoot()) {
            Path parent = dir.path().getParent();
            if (parent == null) {
                throw new NfsException(NfsStatus.NOENT, "root has no parent");
            }
            for (Export e : exports.exports()) {
                if (parent.startsWith(e.path()) && !e.path().equals(dir.export().path()) && visible(e, client)) {
                    return realInode(e, parent);
                }
            }
            return pseudo(parent.toString());
        }
        return realInode(dir.export(), dir.path().getParent());
    }

    // ----- attributes -----

    public Stat stat(Inode i) throws NfsException {
        if (i.isPseudo()) {
            long fileid = pseudoFileId(i.pseudoPath());
            return new Stat(-1, fileid, Stat.S_IFDIR | 0555, 2, 0, 0, 0, 4096, 4096, bootNs, bootNs, bootNs, bootNs);
        }
        return lstat(i.path());
    }

    public Stat lstat(Path p) throws NfsException {
        try {
            return toStat(KernelHandleStore.isDetached(p) ? io.edgenfsd.vfs.linux.LinuxCalls.stat(p)
                    : io.edgenfsd.vfs.linux.LinuxCalls.lstat(p));
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    /** {@link #lstat}, or null when nothing is at the path (OPEN's create test: no exception for the usual case). */
    public Stat lstatIfExists(Path p) throws NfsException {
        if (KernelHandleStore.isDetached(p)) {
            return lstat(p);
        }
        try {
            io.edgenfsd.vfs.linux.Stat x = io.edgenfsd.vfs.linux.LinuxCalls.lstatIfExists(p);
            return x == null ? null : toStat(x);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    private Stat toStat(io.edgenfsd.vfs.linux.Stat x) {
        long ctime = x.ctimeSec() * 1_000_000_000L + x.ctimeNsec();
        FileKey key = new FileKey(x.dev(), x.ino());
        return new Stat(x.dev(), x.ino(), x.mode(), x.nlink(), x.uid(), x.gid(), x.rdev(), x.size(),
                x.blocks() * 512, x.atimeSec() * 1_000_000_000L + x.atimeNsec(),
                x.mtimeSec() * 1_000_000_000L + x.mtimeNsec(), ctime, changes.change(key, ctime));
    }

    /** Capacity hook: exports with {@code capacity=} report their volume's size instead of the filesystem's. */
    public void volumeCapacity(VolumeCapacity v) {
        this.volumes = v;
    }

    /** {files_avail, files_free, files_total, space_avail, space_free, space_total} of the object's filesystem. */
    public long[] usage(Inode i) {
        try {
            io.edgenfsd.vfs.linux.StatVfs v = io.edgenfsd.vfs.linux.LinuxCalls.statvfs(
                    i.isPseudo() ? Path.of("/") : i.path());
            long f = v.frsize();
            long[] u = {v.favail(), v.ffree(), v.files(), v.bavail() * f, v.bfree() * f, v.blocks() * f};
            return i.isPseudo() ? u : volumes.usage(i.export(), u);
        } catch (IOException e) {
            return new long[6];
        }
    }

    /** mounted_on_fileid of an export root: the fileid of the pseudo node it sits on (section 5.8.2.23). */
    public long mountedOnFileId(Inode exportRoot) {
        return pseudoFileId(exportRoot.export().path());
    }

    /** Notes a modification made through the server so the change attribute moves even within one tick. */
    public void modified(Path p) {
        try {
            io.edgenfsd.vfs.linux.Stat x = KernelHandleStore.isDetached(p) ? io.edgenfsd.vfs.linux.LinuxCalls.stat(p)
                    : io.edgenfsd.vfs.linux.LinuxCalls.lstat(p);
            changes.modified(new FileKey(x.dev(), x.ino()), x.ctimeSec() * 1_000_000_000L + x.ctimeNsec());
        } catch (IOException ignored) {
            // object already gone: nothing to track
        }
    }

    // ----- directory entries -----

    public List<String> list(Inode dir, InetAddress client) throws NfsException {
        if (dir.isPseudo()) {
            return pseudoChildren(dir.pseudoPath(), client);
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.path())) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
        return names;
    }

    // ----- namespace operations -----

    private static Set<PosixFilePermission> fromMode(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    public void createFile(Path p, int mode, boolean exclusive) throws NfsException {
        try {
            Files.newByteChannel(p, exclusive ? EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                    : EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(fromMode(mode))).close();
            if ((mode & 07000) != 0) {
                Files.setAttribute(p, "unix:mode", mode & 07777);
            }
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void mkdir(Path p, int mode) throws NfsException {
        try {
            Files.createDirectory(p, PosixFilePermissions.asFileAttribute(fromMode(mode)));
            if ((mode & 07000) != 0) {
                int current = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
                Files.setAttribute(p, "unix:mode", (current | mode) & 07777);
            }
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void symlink(Path p, String target) throws NfsException {
        try {
            Posix.symlink(p, target);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public String readlink(Path p) throws NfsException {
        try {
            return Posix.readlink(p);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void mknod(Path p, int mode, long dev) throws NfsException {
        try {
            io.edgenfsd.vfs.linux.LinuxCalls.mknod(p, mode, dev);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void remove(Path p) throws NfsException {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void rename(Path from, Path to) throws NfsException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            handles.renamed(from, to);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void link(Path existing, Path newLink) throws NfsException {
        try {
            Files.createLink(newLink, existing);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    // ----- attribute changes -----

    public void setMode(Path p, int mode) throws NfsException {
        try {
            if (!KernelHandleStore.isDetached(p) && lstat(p).isSymlink()) {
                throw new NfsException(NfsStatus.INVAL, "the mode of a symbolic link cannot be set");
            }
            Posix.chmod(p, mode & 07777);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void setOwner(Path p, int uid, int gid) throws NfsException {
        try {
            if (uid != -1) {
                Files.setAttribute(p, "unix:uid", uid, linkOptions(p));
            }
            if (gid != -1) {
                Files.setAttribute(p, "unix:gid", gid, linkOptions(p));
            }
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    public void setSize(Path p, long size) throws NfsException {
        try {
            Posix.truncate(p, size);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    /** Sets times in nanoseconds, or {@link Posix#UTIME_NOW} / {@link Posix#UTIME_OMIT}. */
    public void setTimes(Path p, long atimeNs, long mtimeNs) throws NfsException {
        try {
            Posix.setTimes(p, atimeNs, mtimeNs, KernelHandleStore.isDetached(p));
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

    /** Objects reached through /proc/self/fd/N must be followed; everything else must not be. */
    private static LinkOption[] linkOptions(Path p) {
        return KernelHandleStore.isDetached(p) ? new LinkOption[0] : NOFOLLOW;
    }

    // ----- durability -----

    /** Group commit of directory fsyncs: see {@link #syncDirectory}. */
    private static final class DirSync {
        int users;                                          // guarded by the map's compute
        final AtomicLong requested = new AtomicLong();      // changes that asked to be made durable
        final ReentrantLock fsyncLock = new ReentrantLock();
        long done;                                          // guarded by fsyncLock: changes an fsync covered
    }

    private final ConcurrentHashMap<Path, DirSync> dirSyncs = new ConcurrentHashMap<>();

    /** Directories with a {@link #syncDirectory} in progress (entries go away when their callers return). */
    int directorySyncsInProgress() {
        return dirSyncs.size();
    }

    /**
     * Makes a directory's entries durable after a namespace change the caller has completed. Concurrent
     * callers on one directory share fsyncs: an fsync that began after a caller's change covers it, so a
     * caller that finds such an fsync finished returns without its own (what knfsd gets from the journal's
     * group commit, but without one fsync system call per change).
     */
    public void syncDirectory(Path dir) throws NfsException {
        DirSync d = dirSyncs.compute(dir, (k, v) -> {
            DirSync x = v == null ? new DirSync() : v;
            x.users++;
            return x;
        });
        try {
            long ticket = d.requested.incrementAndGet();
            d.fsyncLock.lock();
            try {
                if (d.done < ticket) {
                    long upTo = d.requested.get(); // every change counted so far is complete: this fsync covers it
                    sync(dir, true);
                    d.done = upTo;
                }
            } finally {
                d.fsyncLock.unlock();
            }
        } finally {
            dirSyncs.compute(dir, (k, v) -> --v.users == 0 ? null : v);
        }
    }

    /**
     * Makes a file's data and metadata, or a directory's entries, durable (fsync). Objects that cannot be
     * opened safely (symlinks, fifos, devices) are made durable through their directory.
     */
    public void sync(Path p, boolean metadata) throws NfsException {
        Stat st = lstat(p);
        Path target = st.isRegular() || st.isDirectory() || KernelHandleStore.isDetached(p) ? p : p.getParent();
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
            ch.force(metadata);
            SyncStats.fsynced();
        } catch (IOException e) {
            throw Errno.toNfs(e);
        }
    }

}
