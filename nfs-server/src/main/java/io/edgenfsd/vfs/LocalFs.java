package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.At;
import io.edgenfsd.vfs.linux.ErrnoException;
import io.edgenfsd.vfs.linux.LinuxCalls;
import io.edgenfsd.vfs.linux.Reflink;
import io.edgenfsd.vfs.linux.StatVfs;
import io.edgenfsd.vfs.linux.ThreadCredentials;

import java.lang.ref.Reference;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only code that touches the local filesystem: handles, the pseudo filesystem joining the exports,
 * and the object operations the NFS operations need.
 *
 * <p>Objects are reached through file descriptors only (issue 11, DESIGN.md): an export root is opened
 * once from the administrator's configuration; every other object is an O_PATH fd opened from its
 * parent's fd by one name ({@link At#openBeneath}: no symbolic link followed, no mount crossed, never
 * outside the directory) or from its kernel handle. A symbolic link swapped into a former path changes
 * nothing, because no path is ever resolved again. The server never follows a symbolic link for a client.
 *
 * <p>Permission checks are the kernel's: the caller's identity is already applied to the thread (see
 * {@link ThreadIdentity}); namespace changes are made relative to directory fds as the caller. Where an
 * object must be opened for I/O by handle (which needs CAP_DAC_READ_SEARCH), the caller's access is
 * checked first with faccessat2 as the caller, and the open alone runs as the server.
 */
public final class LocalFs {
    static final byte PSEUDO_KIND = (byte) 0xE0;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalFs.class);
    /** Access modes for {@link #checkAccess}. */
    public static final int R_OK = At.R_OK;
    public static final int W_OK = At.W_OK;
    public static final int X_OK = At.X_OK;
    private static final String VERIFIER_XATTR = "user.edge-nfsd.verifier";

    private volatile ExportTable exports;
    private final HandleStore handles;
    private final ThreadIdentity identity;
    private final ChangeTracker changes = new ChangeTracker();
    private final ObjectCache cache = new ObjectCache(Integer.getInteger("edge.nfsd.fdCache", 2048));
    private final OpenObjects opened = new OpenObjects();
    private final CrossedMounts crossed = new CrossedMounts();
    /** clone granularity by st_dev, probed once per filesystem ({@link Reflink#blockSize}); 0: no reflinks. */
    private final ConcurrentHashMap<Long, Integer> cloneBlockSizes = new ConcurrentHashMap<>();
    private volatile VolumeCapacity volumes = VolumeCapacity.NONE;
    private final long bootNs = System.currentTimeMillis() * 1_000_000L;

    /** An export root, opened once by its configured path. */
    private record Root(Export export, FsObject object, byte[] handle) {
    }

    /** The exports' roots, the pseudo-filesystem nodes above them and the nested roots, replaced as one. */
    private record Layout(Map<Integer, Root> roots, Map<String, Export> nested, Set<String> pseudoNodes) {
    }

    private volatile Layout layout;

    public LocalFs(ExportTable exports, HandleStore handles, ThreadIdentity identity) {
        this.exports = exports;
        this.handles = handles;
        this.identity = identity;
        this.layout = layout(exports, Map.of());
        handles.crossedMounts(this::crossedMountFd);
    }

    /** Opens each export's root (reusing {@code kept} where an export keeps its id and path). */
    private Layout layout(ExportTable table, Map<Integer, Root> kept) {
        Set<String> nodes = new TreeSet<>();
        for (Export e : table.exports()) {
            String p = e.path();
            while (!p.equals("/")) {
                int slash = p.lastIndexOf('/');
                p = slash == 0 ? "/" : p.substring(0, slash);
                nodes.add(p);
            }
        }
        nodes.add("/");
        Map<Integer, Root> roots = new HashMap<>();
        Map<String, Export> nested = new HashMap<>();
        for (Export e : table.exports()) {
            nodes.remove(e.path());
            Root old = kept.get(e.id());
            if (old != null && old.export().path().equals(e.path())) {
                roots.put(e.id(), new Root(e, old.object(), old.handle())); // new options, same root
            }
            openRoot(e, roots, nested);
        }
        return new Layout(Map.copyOf(roots), Map.copyOf(nested), java.util.Collections.unmodifiableSet(nodes));
    }

    /**
     * Reload hook: from the next call on, {@code next} is the export table. Handles of an export that is
     * gone resolve to NFS4ERR_STALE (its id is no longer in the table); an export kept keeps its id, root
     * and handles (and every client's state carries on); its new options apply to each call from now on.
     */
    public synchronized void replaceExports(ExportTable next) throws java.io.IOException {
        handles.exportsChanged(next);
        Layout l = layout(next, layout.roots());
        this.exports = next;
        this.layout = l;
    }

    /** Capacity hook: exports with {@code capacity=} report their volume's size instead of the filesystem's. */
    public void volumeCapacity(VolumeCapacity v) {
        this.volumes = v;
    }

    private void openRoot(Export e, Map<Integer, Root> roots, Map<String, Export> nested) {
        int fd = -1;
        try {
            if (!roots.containsKey(e.id())) {
                fd = At.openTrusted(e.path(), LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY);
                FsObject o = new FsObject(fd, At.fstat(fd));
                fd = -1;
                roots.put(e.id(), new Root(e, o, handles.handleFor(e, o, null, null)));
            }
            if (!e.path().equals("/")) {
                int slash = e.path().lastIndexOf('/');
                String parent = slash == 0 ? "/" : e.path().substring(0, slash);
                int pfd = At.openTrusted(parent, LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY);
                try {
                    io.edgenfsd.vfs.linux.Stat ps = At.fstat(pfd);
                    nested.put(nestedKey(ps.dev(), ps.ino(), e.path().substring(slash + 1)), e);
                } finally {
                    At.close(pfd);
                }
            }
        } catch (ErrnoException | NfsException x) {
            At.close(fd);
            LOG.warn("export {} cannot be opened: {}", e.path(), x.getMessage());
        }
    }

    private static String nestedKey(long dev, long ino, String name) {
        return dev + ":" + ino + "/" + name;
    }

    public boolean persistentHandles() {
        return handles.persistent();
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
        Root r = layout.roots().get(e.id());
        if (r == null) {
            throw new NfsException(NfsStatus.STALE, "export " + e.path() + " could not be opened");
        }
        return Inode.real(e, r.handle(), r.object(), fstat(r.object()), true);
    }

    private boolean isRoot(Export e, long dev, long ino) {
        Root r = layout.roots().get(e.id());
        return r != null && r.object().dev == dev && r.object().ino == ino;
    }

    private boolean isAnyRoot(long dev, long ino) {
        for (Root r : layout.roots().values()) {
            if (r.object().dev == dev && r.object().ino == ino) {
                return true;
            }
        }
        return false;
    }

    public boolean visible(Export e, InetAddress client) {
        return e.optionsFor(client).isPresent();
    }

    public Inode resolve(byte[] fh, InetAddress client) throws NfsException {
        return resolve(fh, client, false);
    }

    /**
     * {@link #resolve}, or null when that would wait: the object is not open (open_by_handle_at reads the
     * disk), it lies on a crossed mount, or subtree_check must walk up from a directory. For the event loop.
     */
    public Inode resolveIfOpen(byte[] fh, InetAddress client) throws NfsException {
        return resolve(fh, client, true);
    }

    private Inode resolve(byte[] fh, InetAddress client, boolean noWait) throws NfsException {
        if (fh.length == 0 || fh.length > 128) {
            throw new NfsException(NfsStatus.BADHANDLE, "handle length " + fh.length);
        }
        if (fh[0] == PSEUDO_KIND) {
            String p = new String(fh, 1, fh.length - 1, StandardCharsets.UTF_8);
            if (!layout.pseudoNodes().contains(p)) {
                throw new NfsException(NfsStatus.STALE, "no such pseudo node");
            }
            return pseudo(p);
        }
        ObjectCache.Entry hit = cache.get(fh);
        OpenObjects.Held held = hit == null ? opened.get(fh) : null;
        Export e;
        FsObject o;
        boolean fresh = hit == null && held == null;
        if (hit != null) {
            // the cache may predate a reload: the export's options and presence come from the table in force
            e = current(hit.export());
            if (e == null) {
                cache.remove(fh);
                throw new NfsException(NfsStatus.STALE, "export " + hit.export().path() + " gone");
            }
            o = hit.object();
        } else if (held != null) {
            e = current(held.export());
            if (e == null) {
                throw new NfsException(NfsStatus.STALE, "export " + held.export().path() + " gone");
            }
            o = held.object();
        } else {
            if (noWait) {
                return null;
            }
            int id = handles.exportId(fh);
            e = exports.byId(id).orElseThrow(() -> new NfsException(NfsStatus.STALE, "export " + id + " gone"));
            o = handles.open(e, fh);
        }
        if (noWait && (o.dev != rootDev(e) || e.needsNameLookup())) {
            return null; // the mount table is read, or the client's host name may be looked up
        }
        if (o.dev != rootDev(e)) {
            requireCrossedMount(e, o.dev, client, fh);
        }
        Stat st = fstat(o);
        if (st.nlink() == 0 && (held != null || opened.get(fh) != null)) {
            return Inode.real(e, fh, o, st, false); // removed while open: reachable until its last CLOSE
        }
        if (st.nlink() == 0) {
            // removed on the host behind the server's back: let every fd of it go now, not at the next
            // cache sweep and garbage collection (its blocks stay allocated while an fd holds it)
            cache.forget(o.dev, o.ino);
            cache.remove(fh);
            FsObject.retireAll(o.dev, o.ino);
            throw new NfsException(NfsStatus.STALE, "object was removed");
        }
        boolean root = isRoot(e, st.dev(), st.ino());
        boolean subtree = e.optionsFor(client).map(ExportOptions::subtreeCheck).orElse(false);
        if (noWait && !root && subtree && o.isDirectory()) {
            return null; // the walk up to the export root may read the disk
        }
        if (!root && (fresh && o.isDirectory() || subtree && o.isDirectory()) && !inside(e, o)) {
            // a directory moved out of its export on the host; with subtree_check checked on every PUTFH
            cache.remove(fh);
            throw new NfsException(NfsStatus.STALE, "object is outside its export");
        }
        if (fresh) {
            cache.put(fh, e, o);
        }
        return Inode.real(e, fh, o, st, root);
    }

    private volatile java.util.function.Predicate<FileKey> stillOpen = k -> false;

    /** Hook: whether some client holds an open of a file, so that removing its last name keeps it. */
    public void openCheck(java.util.function.Predicate<FileKey> check) {
        this.stillOpen = check;
    }

    /**
     * A file lost its last name: an object some client still has open is held (and pinned) until the last
     * CLOSE; every other fd of the inode is retired now, so its blocks are freed at once (issue 11).
     */
    private void removed(long dev, long ino) {
        for (Map.Entry<HandleKey, ObjectCache.Entry> e : cache.forget(dev, ino).entrySet()) {
            opened.hold(FileKey.of(dev, ino, e.getKey().bytes()), e.getKey(), e.getValue().export(),
                    e.getValue().object(), stillOpen);
        }
        FsObject.retireAll(dev, ino);
    }

    /** The last open of {@code file} may be gone: lets its object go unless {@code stillOpen} says otherwise. */
    public void releaseOpen(FileKey file, java.util.function.Predicate<FileKey> stillOpen) {
        opened.release(file, stillOpen);
    }

    /** Objects kept for opens (for tests). */
    public int heldOpenCount() {
        return opened.size();
    }

    /** {@code e} as the table in force has it (same id and path), or null when a reload removed it. */
    private Export current(Export e) {
        Export now = exports.byId(e.id()).orElse(null);
        return now != null && now.path().equals(e.path()) ? now : null;
    }

    /** Whether directory {@code o} lies under the root of {@code e}: its ".." chain meets the root. */
    private boolean inside(Export e, FsObject o) throws NfsException {
        Root r = layout.roots().get(e.id());
        if (r == null) {
            return false;
        }
        int fd = -1;
        try {
            int cur = o.fd;
            io.edgenfsd.vfs.linux.Stat st = At.fstat(cur);
            for (int depth = 0; depth < 4096; depth++) {
                if (r.object().sameObject(st)) {
                    return true;
                }
                int up;
                try {
                    up = At.openParent(cur);
                } catch (ErrnoException x) {
                    if (x.errno() != At.EXDEV) {
                        throw x;
                    }
                    if (crossed.rootAt(st.dev(), st.ino()) == null) {
                        return false; // the top of a mount not crossed into, without meeting the root
                    }
                    up = At.openParentCrossing(cur); // a crossed mount's root: on to the covered directory's parent
                }
                io.edgenfsd.vfs.linux.Stat upSt = At.fstat(up);
                At.close(fd);
                fd = up;
                cur = up;
                if (upSt.dev() == st.dev() && upSt.ino() == st.ino()) {
                    return false; // the filesystem's root
                }
                st = upSt;
            }
            return false;
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
            Reference.reachabilityFence(o);
        }
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

    /** The object's fd, opened from its handle if it was not yet (as the server: open_by_handle_at). */
    private FsObject obj(Inode i) throws NfsException {
        FsObject o = i.object;
        if (o != null) {
            return o;
        }
        ObjectCache.Entry hit = cache.get(i.handleBytes());
        if (hit != null) {
            o = hit.object();
        } else {
            try (ThreadIdentity.Suspended s = identity.suspend()) {
                o = handles.open(i.export(), i.handleBytes());
            }
            cache.put(i.handleBytes(), i.export(), o);
        }
        i.object = o;
        return o;
    }

    private static void requireDirectory(FsObject d) throws NfsException {
        if (!d.isDirectory()) {
            throw new NfsException(d.type == Stat.S_IFLNK ? NfsStatus.SYMLINK : NfsStatus.NOTDIR);
        }
    }

    /** NFS4ERR_NOTDIR (or SYMLINK) unless the object is a directory; costs no system call. */
    public void requireDirectory(Inode dir) throws NfsException {
        if (!dir.isPseudo()) {
            requireDirectory(obj(dir));
        }
    }

    /** The object's file type (S_IFREG ...), fixed for its life; costs no system call once it is open. */
    public int type(Inode i) throws NfsException {
        return i.isPseudo() ? Stat.S_IFDIR : obj(i).type;
    }

    public Inode lookup(Inode dir, String name, InetAddress client) throws NfsException {
        Inode i = find(dir, name, client, false);
        if (i == null) {
            throw new NfsException(NfsStatus.NOENT, name);
        }
        return i;
    }

    /**
     * {@link #lookup} without waiting on the disk, or null when it would wait: the name is not in the
     * kernel's dentry cache (openat2 RESOLVE_CACHED), or the step needs more than the directory's fd (the
     * pseudo filesystem, a nested export, a mount point, a kernel without RESOLVE_CACHED). The fd opened
     * from the cache pins the dentry while the ordinary lookup runs, so that lookup finds it in memory too.
     * For the event loop.
     */
    public Inode lookupIfCached(Inode dir, String name, InetAddress client) throws NfsException {
        if (dir.isPseudo() || dir.object == null || !At.hasResolveCached() || dir.export().needsNameLookup()) {
            return null;
        }
        FsObject d = dir.object;
        if (!d.isDirectory() || d.mountId < 0 || !layout.nested().isEmpty()
                && layout.nested().get(nestedKey(d.dev, d.ino, name)) != null) {
            return null;
        }
        int pin;
        try {
            pin = At.openBeneathIfCached(d.fd, name);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
        if (pin == At.NOT_CACHED) {
            return null;
        }
        if (pin < 0) {
            throw new NfsException(NfsStatus.NOENT, name); // a negative dentry: known not to exist
        }
        try {
            // the pin was opened as find would open it (O_PATH|O_NOFOLLOW, RESOLVE_BENEATH|NO_SYMLINKS|
            // NO_MAGICLINKS|NO_XDEV): its statx says which object the name is now, and an object already
            // cached is found by (dev, ino) without taking and sealing its kernel handle again
            io.edgenfsd.vfs.linux.Stat st = At.fstat(pin);
            if (st.dev() != d.dev || st.mountId() != d.mountId) {
                return find(dir, name, client, false); // not this mount: the general path refuses or crosses
            }
            ObjectCache.Known k = cache.only(dir.export(), st.dev(), st.ino());
            if (k != null) {
                return Inode.real(dir.export(), k.handle(), k.object(), toStat(st), isRoot(dir.export(), st.dev(), st.ino()));
            }
            int fd = pin;
            pin = -1;
            return adopt(dir.export(), d, name, fd, st); // the pin becomes the object's fd
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(pin);
            Reference.reachabilityFence(d);
        }
    }

    /** {@link #lookup}, or null when there is no such name (OPEN's create test, without an exception). */
    public Inode lookupIfExists(Inode dir, String name, InetAddress client) throws NfsException {
        return find(dir, name, client, true);
    }

    private Inode find(Inode dir, String name, InetAddress client, boolean missingIsNull) throws NfsException {
        if (dir.isPseudo()) {
            if (!pseudoChildren(dir.pseudoPath(), client).contains(name)) {
                if (missingIsNull) {
                    return null;
                }
                throw new NfsException(NfsStatus.NOENT, name);
            }
            String child = dir.pseudoPath().equals("/") ? "/" + name : dir.pseudoPath() + "/" + name;
            Optional<Export> e = exports.byPath(child);
            if (e.isPresent()) {
                return exportRoot(e.get());
            }
            return pseudo(child);
        }
        FsObject d = obj(dir);
        requireDirectory(d);
        Export n = layout.nested().get(nestedKey(d.dev, d.ino, name));
        if (n != null && client != null && visible(n, client)) {
            return exportRoot(n);
        }
        byte[] known = handles.handleOfName(dir.export(), d, name);
        if (known == HandleStore.NO_SUCH_NAME) {
            if (missingIsNull) {
                return null;
            }
            throw new NfsException(NfsStatus.NOENT, name);
        }
        Inode cached = known == null ? null : cached(dir.export(), d, known);
        if (cached != null) {
            return cached;
        }
        int fd;
        try {
            fd = missingIsNull ? At.openBeneathIfExists(d.fd, name) : At.openBeneath(d.fd, name, LinuxCalls.O_PATH, 0);
            if (fd < 0) {
                return null;
            }
        } catch (ErrnoException x) {
            if (x.errno() == At.EXDEV && crossmnt(dir.export(), client)) {
                return cross(dir.export(), d, name);
            }
            throw x.errno() == At.EXDEV ? notCrossed(name) : Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
        if (!At.hasOpenat2() && crossmnt(dir.export(), client)) {
            At.close(fd); // openat does not refuse a mount point: the crossing decides
            return cross(dir.export(), d, name);
        }
        return adopt(dir.export(), d, name, fd);
    }

    /** Whether the export's rule for this client says crossmnt (exports(5)); no client: no crossing. */
    private static boolean crossmnt(Export e, InetAddress client) {
        return client != null && e.optionsFor(client).map(ExportOptions::crossmnt).orElse(false);
    }

    /** The dev of an export's root filesystem; an object on another dev lies on a mount crossed into. */
    private long rootDev(Export e) {
        Root r = layout.roots().get(e.id());
        return r == null ? Long.MIN_VALUE : r.object().dev;
    }

    /**
     * LOOKUP of a mount point with crossmnt (knfsd's nfsd_cross_mnt): the mounted filesystem's root, opened
     * by that one name from the directory's fd (no symbolic link followed, never outside the directory, the
     * step onto the mount allowed), then checked to be on another mount than the directory; its handle
     * carries its filesystem (kernel handles are per filesystem) and the mount is registered so handles find
     * its mount fd and go stale when it is unmounted.
     */
    private Inode cross(Export e, FsObject d, String name) throws NfsException {
        int fd = -1;
        try {
            fd = At.openCrossing(d.fd, name);
            io.edgenfsd.vfs.linux.Stat st = At.fstat(fd);
            boolean sameMount = st.dev() == d.dev && (st.mountId() < 0 || d.mountId < 0 || st.mountId() == d.mountId);
            if (!sameMount && st.dev() == d.dev) {
                At.close(fd); // a bind mount of the export's own filesystem: its handles could not tell the mounts apart
                fd = -1;
                throw new NfsException(NfsStatus.ACCESS, name + " is a bind mount of the export's own filesystem");
            }
            if (!sameMount) {
                try (ThreadIdentity.Suspended s = identity.suspend()) {
                    crossed.crossed(e.id(), fd, st, d, name); // reads the parent directory for the covered inode
                }
            }
            FsObject o = new FsObject(fd, st);
            fd = -1;
            byte[] fh = handles.handleFor(e, o, d, name);
            cache.put(fh, e, o);
            return Inode.real(e, fh, o, toStat(st), isRoot(e, st.dev(), st.ino()));
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
            Reference.reachabilityFence(d);
        }
    }

    /**
     * An object on filesystem {@code dev}, not its export's own: served only while that mount is one the
     * client may cross into (crossmnt) and still mounted; otherwise NFS4ERR_STALE, as knfsd answers a handle
     * whose filesystem it no longer exports.
     */
    private void requireCrossedMount(Export e, long dev, InetAddress client, byte[] fh) throws NfsException {
        dropUnmounted();
        if (!crossmnt(e, client) || crossed.get(e.id(), dev) == null) {
            cache.remove(fh);
            throw new NfsException(NfsStatus.STALE, "filesystem " + dev + " is not mounted in " + e.path()
                    + " or the export has no crossmnt");
        }
    }

    /** Forgets the crossed mounts the mount table no longer has, and lets go of their objects' fds. */
    private void dropUnmounted() {
        for (long dev : crossed.dropUnmounted()) {
            cache.forgetFilesystem(dev);
            FsObject.retireFilesystem(dev);
        }
    }

    /** For {@link HandleStore}: the mount fd of crossed filesystem {@code dev} of {@code e}, found again if need be. */
    private int crossedMountFd(Export e, long dev) throws NfsException {
        dropUnmounted();
        CrossedMounts.Mount m = crossed.get(e.id(), dev);
        if (m == null) {
            Root r = layout.roots().get(e.id());
            boolean any = e.rules().stream().anyMatch(x -> x.options().crossmnt());
            if (r != null && any) {
                try {
                    m = crossed.discover(e.id(), r.object(), e.path(), dev);
                } catch (ErrnoException x) {
                    throw Errno.toNfs(x);
                }
            }
        }
        if (m == null) {
            throw new NfsException(NfsStatus.STALE, "filesystem " + dev + " is not mounted in " + e.path());
        }
        return m.mountFd();
    }

    /**
     * The cached object a LOOKUP's handle names, with fresh attributes, so a name looked up again opens no
     * new fd (an openat2, its close and a cache entry's churn per LOOKUP); null if not cached as such.
     */
    private Inode cached(Export e, FsObject d, byte[] fh) {
        ObjectCache.Entry en = cache.get(fh);
        if (en == null || en.export() != e) {
            return null;
        }
        FsObject o = en.object();
        try {
            io.edgenfsd.vfs.linux.Stat st = At.fstat(o.fd);
            if (st.dev() != d.dev || st.dev() != o.dev || st.ino() != o.ino) {
                return null; // retired (removed meanwhile): the opening path decides
            }
            return Inode.real(e, fh, o, toStat(st), isRoot(e, st.dev(), st.ino()));
        } catch (ErrnoException x) {
            return null;
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    private static NfsException notCrossed(String name) {
        // knfsd (nfsd_cross_mnt) shows the covered directory underneath a mount that is not exported; a
        // server in user space reaches only what is mounted on top, so the mount point is not served at all
        return new NfsException(NfsStatus.ACCESS, name + " is a mount point and the export has no crossmnt/nohide");
    }

    /** Takes ownership of a freshly opened O_PATH fd of {@code name} in {@code d}, checks it, gives its inode. */
    private Inode adopt(Export e, FsObject d, String name, int fd) throws NfsException {
        try {
            return adopt(e, d, name, fd, At.fstat(fd));
        } catch (ErrnoException x) {
            At.close(fd);
            throw Errno.toNfs(x);
        }
    }

    /** {@link #adopt} with the fd's statx already read. */
    private Inode adopt(Export e, FsObject d, String name, int fd, io.edgenfsd.vfs.linux.Stat st) throws NfsException {
        if (st.dev() != d.dev || (st.mountId() >= 0 && d.mountId >= 0 && st.mountId() != d.mountId)) {
            At.close(fd);
            throw notCrossed(name);
        }
        FsObject o = new FsObject(fd, st); // owns the fd from here on
        byte[] fh = handles.handleFor(e, o, d, name);
        cache.put(fh, e, o);
        return Inode.real(e, fh, o, toStat(st), isRoot(e, st.dev(), st.ino()));
    }

    /**
     * Takes ownership of the O_PATH fd of a directory's parent reached by ".." across a mount (the parent of
     * the directory a mount covers); the caller checks it lies inside the export.
     */
    private Inode adoptParent(Export e, int fd) throws NfsException {
        try {
            io.edgenfsd.vfs.linux.Stat st = At.fstat(fd);
            if (!st.isDirectory()) {
                At.close(fd);
                throw new NfsException(NfsStatus.STALE, "parent is not a directory");
            }
            FsObject o = new FsObject(fd, st);
            byte[] fh = handles.handleFor(e, o, null, null);
            cache.put(fh, e, o);
            return Inode.real(e, fh, o, toStat(st), isRoot(e, st.dev(), st.ino()));
        } catch (ErrnoException x) {
            At.close(fd);
            throw Errno.toNfs(x);
        }
    }

    /**
     * An entry of a directory for READDIR: its attributes and handle, taken relative to the directory fd
     * without opening the entry (its fd is opened if a later operation uses it).
     */
    public Inode entry(Inode dir, String name, InetAddress client) throws NfsException {
        if (dir.isPseudo()) {
            return lookup(dir, name, client);
        }
        FsObject d = obj(dir);
        Export n = layout.nested().get(nestedKey(d.dev, d.ino, name));
        if (n != null && visible(n, client)) {
            return exportRoot(n);
        }
        try {
            io.edgenfsd.vfs.linux.Stat st = At.statAt(d.fd, name);
            if (st == null) {
                throw new NfsException(NfsStatus.NOENT, name);
            }
            if (st.dev() != d.dev || (st.mountId() >= 0 && d.mountId >= 0 && st.mountId() != d.mountId)) {
                if (crossmnt(dir.export(), client)) {
                    return cross(dir.export(), d, name); // the mounted root's attributes, as LOOKUP gives them
                }
                throw notCrossed(name);
            }
            byte[] fh = handles.handleAt(dir.export(), d, name, st);
            return Inode.real(dir.export(), fh, null, toStat(st), false);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
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
        FsObject d = obj(dir);
        if (!d.isDirectory()) {
            // RFC 8881 section 18.14.3: a symbolic link as the current filehandle is NFS4ERR_SYMLINK
            throw new NfsException(d.type == Stat.S_IFLNK ? NfsStatus.SYMLINK : NfsStatus.NOTDIR, dir.toString());
        }
        if (dir.isExportRoot()) {
            String path = dir.export().path();
            if (path.equals("/")) {
                throw new NfsException(NfsStatus.NOENT, "root has no parent");
            }
            int slash = path.lastIndexOf('/');
            String parent = slash == 0 ? "/" : path.substring(0, slash);
            for (Export e : exports.exports()) {
                if ((parent + "/").startsWith(e.path().equals("/") ? "/" : e.path() + "/")
                        && !e.path().equals(path) && visible(e, client)) {
                    try {
                        // a nested export that is a mount of its own: ".." steps off it onto the parent export
                        return adoptParent(e, At.openParentCrossing(d.fd));
                    } catch (ErrnoException x) {
                        break; // the parent cannot be opened: show the pseudo node
                    } finally {
                        Reference.reachabilityFence(d);
                    }
                }
            }
            return pseudo(parent);
        }
        int fd;
        boolean up = false;
        try {
            try {
                fd = At.openParent(d.fd);
            } catch (ErrnoException x) {
                if (x.errno() != At.EXDEV || !crossmnt(dir.export(), client) || crossed.rootAt(d.dev, d.ino) == null) {
                    throw x;
                }
                // the root of a crossed mount: its parent is the covered directory's (RFC 8881 18.14, knfsd's
                // nfsd_lookup_parent follows the mount up)
                fd = At.openParentCrossing(d.fd);
                up = true;
            }
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
        Inode p = up ? adoptParent(dir.export(), fd) : adopt(dir.export(), d, "..", fd);
        if (!p.isExportRoot() && !inside(dir.export(), p.object)) {
            throw new NfsException(NfsStatus.STALE, "directory is no longer inside its export");
        }
        return p;
    }

    // ----- attributes -----

    public Stat stat(Inode i) throws NfsException {
        if (i.isPseudo()) {
            long fileid = pseudoFileId(i.pseudoPath());
            return new Stat(-1, fileid, Stat.S_IFDIR | 0555, 2, 0, 0, 0, 4096, 4096, bootNs, bootNs, bootNs, bootNs);
        }
        return fstat(obj(i));
    }

    private Stat fstat(FsObject o) throws NfsException {
        try {
            io.edgenfsd.vfs.linux.Stat st = At.fstat(o.fd);
            if (!o.sameObject(st)) {
                throw new NfsException(NfsStatus.STALE, "object was removed"); // retired meanwhile
            }
            return toStat(st);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    private Stat toStat(io.edgenfsd.vfs.linux.Stat x) {
        long ctime = x.ctimeSec() * 1_000_000_000L + x.ctimeNsec();
        FileKey key = new FileKey(x.dev(), x.ino());
        return new Stat(x.dev(), x.ino(), x.mode(), x.nlink(), x.uid(), x.gid(), x.rdev(), x.size(),
                x.blocks() * 512, x.atimeSec() * 1_000_000_000L + x.atimeNsec(),
                x.mtimeSec() * 1_000_000_000L + x.mtimeNsec(), ctime, changes.change(key, ctime));
    }

    /**
     * {files_avail, files_free, files_total, space_avail, space_free, space_total} of the object's
     * filesystem; an error reading them is an error, not zero free space.
     */
    public long[] usage(Inode i) throws NfsException {
        StatVfs v;
        try {
            if (i.isPseudo()) {
                v = LinuxCalls.statvfs(java.nio.file.Path.of("/"));
            } else {
                FsObject o = obj(i);
                try {
                    v = At.statvfs(o.fd);
                } finally {
                    Reference.reachabilityFence(o);
                }
            }
        } catch (java.io.IOException x) {
            throw Errno.toNfs(x);
        }
        long f = v.frsize();
        long[] u = {v.favail(), v.ffree(), v.files(), v.bavail() * f, v.bfree() * f, v.blocks() * f};
        // a crossed mount reports its own filesystem's space, not the export's capacity= volume
        return i.isPseudo() || i.key().dev() != rootDev(i.export()) ? u : volumes.usage(i.export(), u);
    }

    /** mounted_on_fileid of an export root: the fileid of the pseudo node it sits on (section 5.8.2.23). */
    public long mountedOnFileId(Inode exportRoot) {
        return pseudoFileId(exportRoot.export().path());
    }

    /**
     * mounted_on_fileid (RFC 8881 section 5.8.2.23) of an object with attributes {@code st}: for an export
     * root the pseudo node it sits on, for the root of a crossed mount the fileid of the directory it covers
     * (knfsd's nfsd4_get_mounted_on_ino), else its own fileid.
     */
    public long mountedOnFileId(Inode i, Stat st) {
        if (i.isExportRoot()) {
            return mountedOnFileId(i);
        }
        CrossedMounts.Mount m = i.isPseudo() ? null : crossed.rootAt(st.dev(), st.ino());
        return m != null ? m.coveredIno() : st.ino();
    }

    /**
     * fsid.minor (RFC 8881 section 5.8.1.9; major is the export id): 0 on the export's own filesystem, the
     * st_dev of a crossed mount's filesystem on it, so each filesystem has its own fsid, stable while mounted
     * (server restarts included) and the same one its handles carry.
     */
    public long fsidMinor(Inode i, Stat st) {
        return i.isPseudo() || st.dev() == rootDev(i.export()) ? 0 : st.dev();
    }

    /** Notes a modification made through the server so the change attribute moves even within one tick. */
    public void modified(Inode i) {
        if (i.isPseudo()) {
            return;
        }
        try {
            FsObject o = obj(i);
            try {
                io.edgenfsd.vfs.linux.Stat x = At.fstat(o.fd);
                changes.modified(new FileKey(x.dev(), x.ino()), x.ctimeSec() * 1_000_000_000L + x.ctimeNsec());
            } finally {
                Reference.reachabilityFence(o);
            }
        } catch (NfsException | ErrnoException ignored) {
            // object already gone: nothing to track
        }
    }

    private void modifiedAt(FsObject dir, String name) {
        try {
            io.edgenfsd.vfs.linux.Stat x = At.statAt(dir.fd, name);
            if (x != null) {
                changes.modified(new FileKey(x.dev(), x.ino()), x.ctimeSec() * 1_000_000_000L + x.ctimeNsec());
            }
        } catch (ErrnoException ignored) {
            // gone again: nothing to track
        } finally {
            Reference.reachabilityFence(dir);
        }
    }

    // ----- directory entries -----

    /** The names in a directory, read as the caller (read permission on the directory is the kernel's check). */
    public List<String> list(Inode dir, InetAddress client) throws NfsException {
        if (dir.isPseudo()) {
            return pseudoChildren(dir.pseudoPath(), client);
        }
        FsObject d = obj(dir);
        requireDirectory(d);
        int fd = -1;
        try {
            fd = At.reopenDirectory(d.fd);
            List<String> names = new ArrayList<>();
            for (byte[] n : At.list(fd)) {
                names.add(new String(n, StandardCharsets.UTF_8));
            }
            return names;
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
            Reference.reachabilityFence(d);
        }
    }

    // ----- namespace operations (as the caller, relative to the directory's fd) -----

    /** Creates a regular file exclusively with exactly {@code mode}; stores the exclusive-create verifier if any. */
    public Inode createFile(Inode dir, String name, int mode, byte[] verifier) throws NfsException {
        FsObject d = obj(dir);
        requireDirectory(d);
        boolean exactMode = At.threadUmaskZero();
        int fd = -1;
        try {
            fd = At.createFile(d.fd, name, mode & 07777);
            if (!exactMode) {
                At.fchmod(fd, mode & 07777);
            }
            if (verifier != null) {
                try {
                    At.setXattr(fd, VERIFIER_XATTR, verifier);
                } catch (ErrnoException x) {
                    // no user xattrs here: the in-memory table covers retransmissions until a restart
                }
            }
            // the created fd (read-only: it blocks neither exec nor anything else) becomes the object's fd
            int created = fd;
            fd = -1;
            return adopt(dir.export(), d, name, created);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
            Reference.reachabilityFence(d);
        }
    }

    /** The exclusive-create verifier stored on a file (null if none or unreadable). */
    public byte[] verifierOf(Inode file) {
        try {
            int fd = reopen(file, LinuxCalls.O_RDONLY | LinuxCalls.O_NONBLOCK);
            try {
                return At.getXattr(fd, VERIFIER_XATTR, 64);
            } finally {
                At.close(fd);
            }
        } catch (NfsException | ErrnoException x) {
            return null;
        }
    }

    public Inode mkdir(Inode dir, String name, int mode) throws NfsException {
        FsObject d = obj(dir);
        requireDirectory(d);
        boolean exactMode = At.threadUmaskZero();
        try {
            At.mkdir(d.fd, name, mode & 07777);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
        Inode made = find(dir, name, null, false);
        if (!exactMode || (mode & 06000) != 0) {
            // mkdir(2) keeps neither setuid nor setgid from its mode argument
            setMode(made, (stat(made).mode() | mode) & 07777);
        }
        return made;
    }

    public Inode symlink(Inode dir, String name, String target) throws NfsException {
        FsObject d = obj(dir);
        requireDirectory(d);
        try {
            At.symlink(d.fd, name, target);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
        return find(dir, name, null, false);
    }

    public Inode mknod(Inode dir, String name, int mode, long dev) throws NfsException {
        FsObject d = obj(dir);
        requireDirectory(d);
        boolean exactMode = At.threadUmaskZero();
        try {
            At.mknod(d.fd, name, mode, dev);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } catch (IllegalArgumentException x) {
            throw new NfsException(NfsStatus.INVAL, x.getMessage());
        } finally {
            Reference.reachabilityFence(d);
        }
        Inode made = find(dir, name, null, false);
        if (!exactMode) {
            setMode(made, mode & 07777);
        }
        return made;
    }

    /** The attributes of {@code name} in {@code dir} (a symbolic link's own), or null when there is none. */
    public Stat statIfExists(Inode dir, String name) throws NfsException {
        FsObject d = obj(dir);
        requireDirectory(d);
        try {
            io.edgenfsd.vfs.linux.Stat st = At.statAt(d.fd, name);
            return st == null ? null : toStat(st);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
    }

    /** unlink or rmdir of one name; returns what was removed (its attributes just before). */
    public Stat remove(Inode dir, String name) throws NfsException {
        FsObject d = obj(dir);
        requireDirectory(d);
        try {
            io.edgenfsd.vfs.linux.Stat victim = At.statAt(d.fd, name);
            if (victim == null) {
                throw new NfsException(NfsStatus.NOENT, name);
            }
            if (isAnyRoot(victim.dev(), victim.ino())) {
                throw new NfsException(NfsStatus.ACCESS, "cannot remove an export's root");
            }
            boolean isDir = victim.isDirectory();
            try {
                At.unlink(d.fd, name, isDir);
            } catch (ErrnoException x) {
                if (x.errno() != At.EISDIR && x.errno() != At.ENOTDIR) {
                    throw x;
                }
                At.unlink(d.fd, name, !isDir); // replaced by the other kind meanwhile
            }
            if (victim.nlink() <= 1 || isDir) {
                removed(victim.dev(), victim.ino());
            }
            return toStat(victim);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(d);
        }
    }

    /**
     * An object's last name is gone (REMOVE, or RENAME over it): its fds let go of it now, so its
     * blocks are free at once (a cached fd kept them allocated until garbage collection: 42-46 s, or longer). An
     * inode an OPEN still needs is left alone ({@link FsObject#pin}): it stays readable until CLOSE.
     */
    /** What a rename did: nothing (two names of one file), or moved, replacing {@code replaced} if not null. */
    public record Renamed(boolean changed, Stat replaced) {
    }

    public Renamed rename(Inode from, String oldName, Inode to, String newName) throws NfsException {
        FsObject f = obj(from);
        FsObject t = obj(to);
        requireDirectory(f);
        requireDirectory(t);
        try {
            io.edgenfsd.vfs.linux.Stat moving = At.statAt(f.fd, oldName);
            if (moving == null) {
                throw new NfsException(NfsStatus.NOENT, oldName);
            }
            io.edgenfsd.vfs.linux.Stat replaced = At.statAt(t.fd, newName);
            if (isAnyRoot(moving.dev(), moving.ino()) || replaced != null && isAnyRoot(replaced.dev(), replaced.ino())) {
                throw new NfsException(NfsStatus.XDEV, "export roots cannot be renamed");
            }
            if (replaced != null && replaced.dev() == moving.dev() && replaced.ino() == moving.ino()) {
                return new Renamed(false, null); // two names of one file: success with no change (section 18.26.4)
            }
            At.rename(f.fd, oldName, t.fd, newName);
            handles.renamed(f, oldName, t, newName);
            modified(from);
            modified(to);
            modifiedAt(t, newName);
            if (replaced != null && (replaced.nlink() <= 1 || replaced.isDirectory())) {
                removed(replaced.dev(), replaced.ino());
            }
            return new Renamed(true, replaced == null ? null : toStat(replaced));
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(f);
            Reference.reachabilityFence(t);
        }
    }

    /**
     * A new name for a file. linkat of an fd (AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH, which the caller's
     * identity lacks, so the kernel's checks are made first as the caller: write and search permission on
     * the directory, and protected_hardlinks' rule (own the file, or may read and write a plain one).
     */
    public void link(Inode file, Inode dir, String name) throws NfsException {
        FsObject o = obj(file);
        FsObject d = obj(dir);
        if (o.isDirectory()) {
            throw new NfsException(NfsStatus.ISDIR);
        }
        requireDirectory(d);
        try {
            int fsuid = ThreadCredentials.supported() ? ThreadCredentials.currentFsuid() : LinuxCalls.geteuid();
            if (fsuid != 0) {
                checkAccess(d, At.W_OK | At.X_OK);
                io.edgenfsd.vfs.linux.Stat st = At.fstat(o.fd);
                if (st.uid() != fsuid) {
                    boolean plain = st.isRegularFile() && (st.mode() & 04000) == 0 && (st.mode() & 02010) != 02010;
                    if (!plain) {
                        throw new NfsException(NfsStatus.PERM, "protected hard link");
                    }
                    checkAccess(o, At.R_OK | At.W_OK);
                }
            }
            try (ThreadIdentity.Suspended s = identity.suspend()) {
                At.linkEmpty(o.fd, d.fd, name);
            }
            modified(dir);
            modified(file);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(o);
            Reference.reachabilityFence(d);
        }
    }

    public String readlink(Inode i) throws NfsException {
        if (i.isPseudo()) {
            throw new NfsException(NfsStatus.INVAL, "not a symbolic link");
        }
        FsObject o = obj(i);
        if (o.type != Stat.S_IFLNK) {
            throw new NfsException(NfsStatus.INVAL, "not a symbolic link");
        }
        try {
            return new String(At.readlink(o.fd), StandardCharsets.UTF_8);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    // ----- access and I/O descriptors -----

    /** EACCES (NFS4ERR_ACCESS) unless the thread's identity may access the object as {@code mask} (R_OK...). */
    public void checkAccess(Inode i, int mask) throws NfsException {
        if (i.isPseudo()) {
            return;
        }
        try {
            checkAccess(obj(i), mask);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        }
    }

    private static void checkAccess(FsObject o, int mask) throws ErrnoException, NfsException {
        try {
            if (At.access(o.fd, mask)) {
                return;
            }
            // no faccessat2 (Linux < 5.8): the mode bits, as the kernel reads them without ACLs
            io.edgenfsd.vfs.linux.Stat st = At.fstat(o.fd);
            int uid = ThreadCredentials.supported() ? ThreadCredentials.currentFsuid() : LinuxCalls.geteuid();
            if (uid == 0) {
                return;
            }
            int bits;
            if (st.uid() == uid) {
                bits = st.mode() >> 6;
            } else if (inGroup(st.gid())) {
                bits = st.mode() >> 3;
            } else {
                bits = st.mode();
            }
            if ((bits & mask & 7) != (mask & 7)) {
                throw new NfsException(NfsStatus.ACCESS);
            }
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    private static boolean inGroup(int gid) {
        if (!ThreadCredentials.supported()) {
            return gid == LinuxCalls.getegid();
        }
        if (ThreadCredentials.currentFsgid() == gid) {
            return true;
        }
        for (int g : ThreadCredentials.currentGroups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    /** A real fd of the object, opened from its handle (never a path) as the server; the caller closes it. */
    private int reopen(Inode i, int flags) throws NfsException {
        FsObject o = obj(i);
        try (ThreadIdentity.Suspended s = identity.suspend()) {
            return handles.reopen(i.export(), i.handleBytes(), o, flags);
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    /**
     * An fd of the file for READ/WRITE/COMMIT (O_RDWR for {@code write}), opened from its handle as the server
     * (the caller's permission was checked at OPEN, or just now with {@link #checkAccess}); owned by the
     * caller ({@link OpenFiles}).
     */
    int openForIo(Inode file, boolean write) throws NfsException {
        return reopen(file, write ? LinuxCalls.O_RDWR : LinuxCalls.O_RDONLY);
    }

    // ----- attribute changes (as the caller: the kernel checks ownership and permission) -----

    /**
     * truncate to {@code size}. {@code opened}: the caller holds an OPEN for writing (permission was checked
     * then); otherwise the caller must have write permission now. The truncate itself runs as the caller.
     */
    public void setSize(Inode i, long size, boolean opened) throws NfsException {
        FsObject o = obj(i);
        if (o.isDirectory()) {
            throw new NfsException(NfsStatus.ISDIR);
        }
        if (o.type != Stat.S_IFREG) {
            throw new NfsException(NfsStatus.INVAL, "size of a non-regular file");
        }
        if (!opened) {
            checkAccess(i, At.W_OK);
        }
        int fd = reopen(i, LinuxCalls.O_WRONLY);
        try {
            At.ftruncate(fd, size);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
        }
    }

    /**
     * fallocate(2) on a regular file: reserves blocks ({@code punchHole} false: ALLOCATE, the size grows to
     * cover the range) or frees them keeping the size (DEALLOCATE). Opened from the handle as the server
     * (the caller's stateid or permission was checked); the call runs as the caller. {@code sync}: fsync
     * before returning (a sync export).
     */
    public void allocate(Inode i, long offset, long length, boolean punchHole, boolean sync) throws NfsException {
        int fd = reopen(i, LinuxCalls.O_WRONLY);
        try {
            At.fallocate(fd, punchHole ? At.FALLOC_FL_PUNCH_HOLE | At.FALLOC_FL_KEEP_SIZE : 0, offset, length);
            if (sync) {
                At.fsync(fd, true);
                SyncStats.fsynced();
            }
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
        }
    }

    /** The xattr namespace NFS names map to (RFC 8276 section 5: user extended attributes only). */
    private static final String USER_XATTR = "user.";

    /** xattr names of our own (the create verifier): never seen nor changed by clients. */
    private static boolean ownXattr(String name) {
        return name.startsWith("edge-nfsd.");
    }

    /** A {@code user.} xattr's value (fgetxattr as the caller); NFS4ERR_NOXATTR when there is none. */
    public byte[] getXattr(Inode i, String name) throws NfsException {
        if (ownXattr(name)) {
            throw new NfsException(NfsStatus.NOXATTR, name);
        }
        int fd = reopen(i, LinuxCalls.O_RDONLY);
        try {
            byte[] v = At.getXattr(fd, USER_XATTR + name, MAX_XATTR);
            if (v == null) {
                throw new NfsException(NfsStatus.NOXATTR, name);
            }
            return v;
        } catch (ErrnoException x) {
            throw xattrError(x, name);
        } finally {
            At.close(fd);
        }
    }

    /** Sets a {@code user.} xattr as the caller; {@code flags} XATTR_CREATE (1) / XATTR_REPLACE (2) / 0. */
    public void setXattr(Inode i, String name, byte[] value, int flags) throws NfsException {
        if (ownXattr(name)) {
            throw new NfsException(NfsStatus.PERM, "reserved xattr name " + name);
        }
        if (value.length > MAX_XATTR) {
            throw new NfsException(NfsStatus.XATTR2BIG, name);
        }
        int fd = reopen(i, LinuxCalls.O_RDONLY);
        try {
            At.setXattr(fd, USER_XATTR + name, value, flags);
        } catch (ErrnoException x) {
            throw xattrError(x, name);
        } finally {
            At.close(fd);
        }
    }

    /** The object's {@code user.} xattr names without the prefix, sorted, our own left out. */
    public List<String> listXattrs(Inode i) throws NfsException {
        int fd = reopen(i, LinuxCalls.O_RDONLY);
        try {
            List<String> out = new java.util.ArrayList<>();
            for (String n : At.listXattrs(fd)) {
                if (n.startsWith(USER_XATTR) && !ownXattr(n.substring(USER_XATTR.length()))) {
                    out.add(n.substring(USER_XATTR.length()));
                }
            }
            java.util.Collections.sort(out);
            return out;
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
        }
    }

    public void removeXattr(Inode i, String name) throws NfsException {
        if (ownXattr(name)) {
            throw new NfsException(NfsStatus.NOXATTR, name);
        }
        int fd = reopen(i, LinuxCalls.O_RDONLY);
        try {
            At.removeXattr(fd, USER_XATTR + name);
        } catch (ErrnoException x) {
            throw xattrError(x, name);
        } finally {
            At.close(fd);
        }
    }

    /** The largest xattr value (Linux's XATTR_SIZE_MAX). */
    public static final int MAX_XATTR = 65536;

    private static NfsException xattrError(ErrnoException x, String name) {
        return switch (x.errno()) {
            case 61 -> new NfsException(NfsStatus.NOXATTR, name);   // ENODATA
            case 7, 34 -> new NfsException(NfsStatus.XATTR2BIG, name); // E2BIG, ERANGE
            default -> Errno.toNfs(x);
        };
    }

    /**
     * Copies up to {@code count} bytes of {@code src} from {@code srcOffset} to {@code dst} at
     * {@code dstOffset} with copy_file_range(2), in the kernel (a reflink where the filesystem can). Both
     * are opened from their handles as the server (the caller's stateids were checked); the copy runs as
     * the caller. Stops early at the source's end; returns the bytes copied. {@code sync}: fsync the
     * destination before returning.
     */
    public long copy(Inode src, long srcOffset, Inode dst, long dstOffset, long count, boolean sync)
            throws NfsException {
        return transfer(src, dst, sync, (in, out) -> {
            long done = 0;
            while (done < count) {
                long n = At.copyFileRange(in, srcOffset + done, out, dstOffset + done, count - done);
                if (n == 0) {
                    break;
                }
                done += n;
            }
            return done;
        });
    }

    /** A transfer from one fd to another in the kernel (copy_file_range, FICLONERANGE); returns the bytes. */
    private interface FdTransfer {
        long run(int in, int out) throws ErrnoException;
    }

    /**
     * Opens {@code src} for reading and {@code dst} for writing from their handles, as the server, runs
     * {@code t} (as the caller) and, for {@code sync}, fsyncs the destination before returning. ENOTTY (an
     * ioctl the filesystem does not know) is NFS4ERR_NOTSUPP.
     */
    private long transfer(Inode src, Inode dst, boolean sync, FdTransfer t) throws NfsException {
        int in = reopen(src, LinuxCalls.O_RDONLY);
        try {
            int out = reopen(dst, LinuxCalls.O_WRONLY);
            try {
                long n = t.run(in, out);
                if (sync) {
                    At.fsync(out, true);
                    SyncStats.fsynced();
                }
                return n;
            } finally {
                At.close(out);
            }
        } catch (ErrnoException x) {
            throw x.errno() == 25 ? new NfsException(NfsStatus.NOTSUPP, x.getMessage()) : Errno.toNfs(x);
        } finally {
            At.close(in);
        }
    }

    /**
     * The clone granularity of the object's filesystem (clone_blksize, RFC 7862 section 12.2.1), 0 when it
     * cannot reflink (or for the pseudo filesystem). Probed once per st_dev: whether a mounted filesystem
     * reflinks does not change while it stays mounted.
     */
    public int cloneBlockSize(Inode i) throws NfsException {
        if (i.isPseudo()) {
            return 0;
        }
        Integer known = cloneBlockSizes.get(i.key().dev());
        if (known != null) {
            return known;
        }
        int fd = reopen(i, LinuxCalls.O_RDONLY);
        try {
            int bs = Reflink.blockSize(fd);
            cloneBlockSizes.put(i.key().dev(), bs);
            return bs;
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
        }
    }

    /**
     * Shares {@code count} bytes of {@code src} at {@code srcOffset} into {@code dst} at {@code dstOffset}
     * with FICLONERANGE (a reflink: no data is copied). Opened from their handles as the server (the
     * caller's stateids were checked); the ioctl runs as the caller. {@code sync}: fsync the destination
     * before returning. The kernel's "cannot" (EOPNOTSUPP, ENOTTY) is NFS4ERR_NOTSUPP.
     */
    public void clone(Inode src, long srcOffset, Inode dst, long dstOffset, long count, boolean sync)
            throws NfsException {
        transfer(src, dst, sync, (in, out) -> {
            Reflink.cloneRange(in, srcOffset, count, out, dstOffset);
            return count;
        });
    }

    /**
     * The first offset at or after {@code offset} that starts data ({@code data}) or a hole, by lseek(2)
     * SEEK_DATA/SEEK_HOLE; NFS4ERR_NXIO when there is none (at or past the end, or no data after it).
     */
    public long seek(Inode i, long offset, boolean data) throws NfsException {
        int fd = reopen(i, LinuxCalls.O_RDONLY);
        try {
            return At.lseek(fd, offset, data ? At.SEEK_DATA : At.SEEK_HOLE);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
        }
    }

    public void setMode(Inode i, int mode) throws NfsException {
        FsObject o = obj(i);
        if (o.type == Stat.S_IFLNK) {
            throw new NfsException(NfsStatus.INVAL, "the mode of a symbolic link cannot be set");
        }
        try {
            if (At.chmodEmpty(o.fd, mode & 07777)) {
                return;
            }
            // no fchmodat2 (Linux < 6.6): fchmod on a real fd, for the types that can be opened harmlessly
            if (o.type != Stat.S_IFREG && o.type != Stat.S_IFDIR && o.type != Stat.S_IFIFO) {
                throw new NfsException(NfsStatus.NOTSUPP, "mode of a device or socket needs Linux 6.6");
            }
            int fd = o.isDirectory() ? At.reopenDirectory(o.fd) : reopen(i, LinuxCalls.O_RDONLY | LinuxCalls.O_NONBLOCK);
            try {
                At.fchmod(fd, mode & 07777);
            } finally {
                At.close(fd);
            }
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    /** chown; -1 leaves uid or gid alone. A symbolic link's own owner is changed. */
    public void setOwner(Inode i, int uid, int gid) throws NfsException {
        onFd(i, fd -> At.fchownEmpty(fd, uid, gid));
    }

    /** A system call on an object's fd, the object kept reachable until it returns. */
    private interface FdCall {
        void run(int fd) throws ErrnoException;
    }

    private void onFd(Inode i, FdCall call) throws NfsException {
        FsObject o = obj(i);
        try {
            call.run(o.fd);
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    /** Sets times in nanoseconds, or {@link At#UTIME_NOW} / {@link At#UTIME_OMIT}; 64-bit on every architecture. */
    public void setTimes(Inode i, long atimeNs, long mtimeNs) throws NfsException {
        onFd(i, fd -> At.setTimes(fd, atimeNs, mtimeNs));
    }

    // ----- durability -----

    /** Group commit of directory fsyncs: see {@link #syncDirectory}. */
    private static final class DirSync {
        int users;                                          // guarded by the map's compute
        final AtomicLong requested = new AtomicLong();      // changes that asked to be made durable
        final ReentrantLock fsyncLock = new ReentrantLock();
        long done;                                          // guarded by fsyncLock: changes an fsync covered
    }

    private final ConcurrentHashMap<FileKey, DirSync> dirSyncs = new ConcurrentHashMap<>();

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
    public void syncDirectory(Inode dir) throws NfsException {
        FileKey k = new FileKey(dir.key().dev(), dir.key().ino());
        DirSync d = dirSyncs.compute(k, (key, v) -> {
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
            dirSyncs.compute(k, (key, v) -> --v.users == 0 ? null : v);
        }
    }

    /**
     * Makes a file's data and metadata, or a directory's entries, durable (fsync). Symbolic links, fifos
     * and devices cannot be opened for fsync without side effects; their metadata reaches the disk with
     * the next journal commit (their creation is made durable by the directory's fsync).
     */
    public void sync(Inode i, boolean metadata) throws NfsException {
        FsObject o = obj(i);
        int fd = -1;
        try {
            if (o.isDirectory()) {
                fd = At.reopenDirectory(o.fd);
            } else if (o.type == Stat.S_IFREG) {
                fd = reopen(i, LinuxCalls.O_RDONLY);
            } else {
                return;
            }
            At.fsync(fd, metadata);
            SyncStats.fsynced();
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            At.close(fd);
            Reference.reachabilityFence(o);
        }
    }

    /** Open object descriptors and cache size, for tests. */
    int cachedObjects() {
        return cache.size();
    }
}
