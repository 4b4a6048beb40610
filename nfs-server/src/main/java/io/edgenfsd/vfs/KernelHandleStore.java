package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.vfs.linux.BadHandleException;
import io.edgenfsd.vfs.linux.FileHandleCodec;
import io.edgenfsd.vfs.linux.KernelHandle;
import io.edgenfsd.vfs.linux.LinuxCalls;
import io.edgenfsd.xdr.OpaqueKey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Handles that survive restarts and renames (DESIGN.md): the kernel's own file handle
 * (name_to_handle_at), wrapped with the export id and a MAC so a client cannot forge one for a file
 * outside its export. Resolution re-finds the object with open_by_handle_at, so renames made on the host
 * by other programs are followed.
 */
public final class KernelHandleStore implements HandleStore {
    private final FileHandleCodec codec;
    // concurrent: a reload (exportsChanged) adds exports while calls read these
    private final Map<Integer, Integer> mountFds = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Path> roots = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Handles this server issued or already verified, with the last path seen for each: checked with one
     * name_to_handle_at before the slower open_by_handle_at, and the MAC is not computed again for them
     * (an exact byte match with a handle we authenticated is as good as the MAC). Bounded: a miss only
     * costs the MAC and open_by_handle_at.
     */
    private final Map<OpaqueKey, Known> known = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<OpaqueKey, Known> e) {
            return size() > 16384;
        }
    };

    /** dev and ino are those of the object (an object keeps them for life). */
    private record Known(FileHandleCodec.Decoded decoded, Path path, long dev, long ino) {
    }

    /** Wire handles already sealed, by export and kernel handle: the HMAC is computed once per object. */
    private final Map<OpaqueKey, byte[]> sealed = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<OpaqueKey, byte[]> e) {
            return size() > 16384;
        }
    };

    /**
     * Objects the kernel could open by handle but not name (a non-directory whose dentry is not cached
     * after a restart): kept open and used through /proc/self/fd/N, which the kernel resolves itself.
     */
    private final Map<OpaqueKey, Integer> detached = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<OpaqueKey, Integer> e) {
            if (size() > 1024) {
                closeQuietly(e.getValue());
                return true;
            }
            return false;
        }
    };

    public KernelHandleStore(FileHandleCodec codec, ExportTable exports) throws IOException {
        this.codec = codec;
        for (Export e : exports.exports()) {
            Path root = Path.of(e.path());
            mountFds.put(e.id(), LinuxCalls.openMountFd(root));
            roots.put(e.id(), root);
        }
    }

    /** Reload hook: opens the mount of each export that is new (or moved to another path) in {@code next}. */
    @Override
    public void exportsChanged(ExportTable next) throws IOException {
        for (Export e : next.exports()) {
            Path root = Path.of(e.path());
            if (!root.equals(roots.get(e.id()))) {
                Integer old = mountFds.put(e.id(), LinuxCalls.openMountFd(root));
                roots.put(e.id(), root);
                if (old != null) {
                    closeQuietly(old);
                }
            }
        }
    }

    @Override
    public byte[] handleFor(Export export, Path path, Stat stat) throws NfsException {
        if (isDetached(path)) {
            // a detached object's handle is the one it was resolved from; found by the path's fd
            synchronized (this) {
                for (Map.Entry<OpaqueKey, Integer> e : detached.entrySet()) {
                    if (path.equals(LinuxCalls.fdPath(e.getValue()))) {
                        return e.getKey().bytes();
                    }
                }
            }
            throw new NfsException(NfsStatus.STALE, "detached object no longer open");
        }
        try {
            KernelHandle kh = LinuxCalls.nameToHandle(path, false);
            byte[] khBytes = kh.bytes();
            OpaqueKey object = new OpaqueKey(ByteBuffer.allocate(8 + khBytes.length).putInt(export.id())
                    .putInt(kh.type()).put(khBytes).array());
            byte[] fh;
            synchronized (this) {
                fh = sealed.get(object);
            }
            if (fh == null) {
                fh = codec.encode(export.id(), kh); // the HMAC, outside the lock
            }
            Known k = new Known(new FileHandleCodec.Decoded(export.id(), kh.type(), khBytes), path, stat.dev(),
                    stat.ino());
            synchronized (this) {
                sealed.put(object, fh);
                known.put(new OpaqueKey(fh), k);
            }
            return Arrays.copyOf(fh, fh.length);
        } catch (IOException e) {
            throw Errno.toNfs(e);
        } catch (IllegalArgumentException e) {
            throw new NfsException(NfsStatus.SERVERFAULT, "kernel handle too large: " + e.getMessage());
        }
    }

    @Override
    public int exportId(byte[] handle) throws NfsException {
        Known k;
        synchronized (this) {
            k = known.get(new OpaqueKey(handle));
        }
        return k != null ? k.decoded().exportId() : decode(handle).exportId();
    }

    private FileHandleCodec.Decoded decode(byte[] handle) throws NfsException {
        try {
            FileHandleCodec.Decoded d = codec.decode(handle);
            if (d.isMemory()) {
                throw new NfsException(NfsStatus.STALE, "handle from an unprivileged run");
            }
            return d;
        } catch (BadHandleException e) {
            throw new NfsException(NfsStatus.BADHANDLE, e.getMessage());
        }
    }

    @Override
    public Path resolve(Export export, byte[] handle) throws NfsException {
        return locate(export, handle).path();
    }

    @Override
    public Located locate(Export export, byte[] handle) throws NfsException {
        OpaqueKey k = new OpaqueKey(handle);
        Known seen;
        synchronized (this) {
            seen = known.get(k);
            Integer fd = detached.get(k);
            if (fd != null) {
                return new Located(LinuxCalls.fdPath(fd), null);
            }
        }
        FileHandleCodec.Decoded d = seen != null ? seen.decoded() : decode(handle);
        if (d.exportId() != export.id()) {
            throw new NfsException(NfsStatus.STALE, "handle of export " + d.exportId() + ", not " + export.id());
        }
        Path hint = seen == null ? null : seen.path();
        if (hint != null) {
            try {
                // the kernel handle of what is at the path now: equal only for the very same object (it
                // carries the inode generation, so a new file that reused the inode number does not match)
                if (LinuxCalls.nameToHandle(hint, false).sameObjectAs(d.kernelHandle())) {
                    return new Located(hint, FileKey.of(seen.dev(), seen.ino(), handle));
                }
            } catch (IOException e) {
                // moved or removed: ask the kernel
            }
        }
        Integer mountFd = mountFds.get(export.id());
        if (mountFd == null) {
            throw new NfsException(NfsStatus.STALE, "export not open");
        }
        int fd;
        try {
            fd = LinuxCalls.openByHandle(mountFd, d.kernelHandle(), LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW);
        } catch (IOException e) {
            throw new NfsException(NfsStatus.STALE, "object no longer exists: " + e.getMessage());
        }
        boolean keep = false;
        try {
            LinuxCalls.Location where = LinuxCalls.locate(fd, roots.get(export.id()));
            io.edgenfsd.vfs.linux.Stat st = LinuxCalls.fstat(fd);
            switch (where) {
                case OUTSIDE -> throw new NfsException(NfsStatus.STALE, "object is outside its export");
                case INSIDE -> {
                    Path p = LinuxCalls.readlinkFd(fd);
                    synchronized (this) {
                        known.put(k, new Known(d, p, st.dev(), st.ino()));
                    }
                    return new Located(p, FileKey.of(st.dev(), st.ino(), handle));
                }
                default -> {
                    if (st.nlink() == 0) {
                        throw new NfsException(NfsStatus.STALE, "object was removed");
                    }
                    if ((st.mode() & Stat.S_IFMT) == Stat.S_IFDIR) {
                        throw new NfsException(NfsStatus.STALE, "directory cannot be placed in its export");
                    }
                    // The MAC proves we issued this handle inside the export; the kernel just has no name for
                    // the object yet. Use it through its fd.
                    keep = true;
                    synchronized (this) {
                        detached.put(k, fd);
                    }
                    return new Located(LinuxCalls.fdPath(fd), null);
                }
            }
        } catch (IOException e) {
            throw new NfsException(NfsStatus.STALE, e.getMessage());
        } finally {
            if (!keep) {
                closeQuietly(fd);
            }
        }
    }

    private static final Path PROC_FD = Path.of("/proc/self/fd");

    public static boolean isDetached(Path p) {
        return p.startsWith(PROC_FD);
    }

    @Override
    public boolean persistent() {
        return true;
    }

    private static void closeQuietly(int fd) {
        try {
            LinuxCalls.close(fd);
        } catch (IOException ignored) {
            // already closed
        }
    }
}
