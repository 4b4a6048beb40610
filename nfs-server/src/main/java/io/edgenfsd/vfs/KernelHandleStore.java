package io.edgenfsd.vfs;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.At;
import io.edgenfsd.vfs.linux.BadHandleException;
import io.edgenfsd.vfs.linux.ErrnoException;
import io.edgenfsd.vfs.linux.FileHandleCodec;
import io.edgenfsd.vfs.linux.KernelHandle;
import io.edgenfsd.vfs.linux.LinuxCalls;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Handles that survive restarts and renames (DESIGN.md): the kernel's own file handle (name_to_handle_at
 * of an fd), wrapped with the export id and a MAC so a client cannot forge one for a file outside its
 * export. Resolution opens the object with open_by_handle_at on the export's mount fd: no path is involved.
 */
public final class KernelHandleStore implements HandleStore {
    private final FileHandleCodec codec;
    // concurrent: a reload (exportsChanged) adds exports while calls read these
    private final Map<Integer, Integer> mountFds = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, String> roots = new java.util.concurrent.ConcurrentHashMap<>();
    /** st_dev of each export's root: an object on another dev was reached across a mount (crossmnt). */
    private final Map<Integer, Long> rootDevs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile CrossedMountFds crossed = (e, dev) -> {
        throw new NfsException(NfsStatus.STALE, "no crossed mount " + dev);
    };

    /** Handles this server issued or verified: their decoding, so the MAC is not computed again. Bounded. */
    private final Map<HandleKey, FileHandleCodec.Decoded> verified = lru(16384);
    /** Wire handles already sealed, by export and kernel handle: the HMAC is computed once per object. */
    private final Map<HandleKey, byte[]> sealed = lru(16384);

    private static <V> Map<HandleKey, V> lru(int max) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<HandleKey, V> e) {
                return size() > max;
            }
        };
    }

    public KernelHandleStore(FileHandleCodec codec, ExportTable exports) throws IOException {
        this.codec = codec;
        for (Export e : exports.exports()) {
            int fd = LinuxCalls.openMountFd(java.nio.file.Path.of(e.path()));
            mountFds.put(e.id(), fd);
            roots.put(e.id(), e.path());
            rootDevs.put(e.id(), At.fstat(fd).dev());
        }
    }

    @Override
    public void crossedMounts(CrossedMountFds fds) {
        this.crossed = fds;
    }

    /** 0 for the export's own filesystem, else {@code dev}: what a handle of an object on {@code dev} carries. */
    private long fsDev(Export e, long dev) {
        Long root = rootDevs.get(e.id());
        return root == null || root == dev ? 0 : dev;
    }

    /** Reload hook: opens the mount of each export that is new (or moved to another path) in {@code next}. */
    @Override
    public void exportsChanged(ExportTable next) throws IOException {
        for (Export e : next.exports()) {
            if (!e.path().equals(roots.get(e.id()))) {
                int fd = LinuxCalls.openMountFd(java.nio.file.Path.of(e.path()));
                Integer old = mountFds.put(e.id(), fd);
                roots.put(e.id(), e.path());
                rootDevs.put(e.id(), At.fstat(fd).dev());
                if (old != null) {
                    At.close(old);
                }
            }
        }
    }

    @Override
    public byte[] handleFor(Export e, FsObject o, FsObject parent, String name) throws NfsException {
        try {
            return seal(e, At.handleOf(o.fd), fsDev(e, o.dev));
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(o);
        }
    }

    @Override
    public byte[] handleAt(Export e, FsObject dir, String name, io.edgenfsd.vfs.linux.Stat st) throws NfsException {
        try {
            return seal(e, At.handleAt(dir.fd, name), fsDev(e, st.dev()));
        } catch (ErrnoException x) {
            throw Errno.toNfs(x);
        } finally {
            Reference.reachabilityFence(dir);
        }
    }

    @Override
    public byte[] handleOfName(Export e, FsObject dir, String name) throws NfsException {
        if (dir.mountId < 0) {
            return null; // no mount id to compare: a mount point would pass unnoticed
        }
        try {
            KernelHandle kh = At.handleAtIfExists(dir.fd, name);
            if (kh == null) {
                return NO_SUCH_NAME;
            }
            // another mount's handle bytes may equal an object's of this one: only same-mount handles
            return kh.mountId() == dir.mountId ? seal(e, kh, fsDev(e, dir.dev)) : null;
        } catch (ErrnoException | IllegalArgumentException x) {
            return null; // the opening path reports it
        } finally {
            Reference.reachabilityFence(dir);
        }
    }

    private byte[] seal(Export e, KernelHandle kh, long fsDev) throws NfsException {
        byte[] khBytes = kh.bytes();
        HandleKey object = new HandleKey(ByteBuffer.allocate(16 + khBytes.length).putInt(e.id()).putLong(fsDev)
                .putInt(kh.type()).put(khBytes).array());
        byte[] fh;
        synchronized (this) {
            fh = sealed.get(object);
        }
        if (fh == null) {
            try {
                fh = codec.encode(e.id(), kh, fsDev); // the HMAC, outside the lock
            } catch (IllegalArgumentException x) {
                throw new NfsException(NfsStatus.SERVERFAULT, "kernel handle too large: " + x.getMessage());
            }
            FileHandleCodec.Decoded d = new FileHandleCodec.Decoded(e.id(), kh.type(), khBytes, fsDev);
            synchronized (this) {
                sealed.put(object, fh);
                verified.put(new HandleKey(fh), d);
            }
        }
        return Arrays.copyOf(fh, fh.length);
    }

    private FileHandleCodec.Decoded decode(byte[] handle) throws NfsException {
        HandleKey k = new HandleKey(handle);
        synchronized (this) {
            FileHandleCodec.Decoded d = verified.get(k);
            if (d != null) {
                return d;
            }
        }
        try {
            FileHandleCodec.Decoded d = codec.decode(handle);
            if (d.isMemory()) {
                throw new NfsException(NfsStatus.STALE, "handle from an unprivileged run");
            }
            synchronized (this) {
                verified.put(k, d);
            }
            return d;
        } catch (BadHandleException x) {
            throw new NfsException(NfsStatus.BADHANDLE, x.getMessage());
        }
    }

    @Override
    public int exportId(byte[] handle) throws NfsException {
        return decode(handle).exportId();
    }

    private int byHandle(Export e, byte[] handle, int flags) throws NfsException {
        FileHandleCodec.Decoded d = decode(handle);
        if (d.exportId() != e.id()) {
            throw new NfsException(NfsStatus.STALE, "handle of export " + d.exportId() + ", not " + e.id());
        }
        // kernel handles are per filesystem: one of a crossed mount opens through that mount's fd
        Integer mountFd = d.fsDev() == 0 ? mountFds.get(e.id()) : Integer.valueOf(crossed.mountFd(e, d.fsDev()));
        if (mountFd == null) {
            throw new NfsException(NfsStatus.STALE, "export not open");
        }
        try {
            int fd = LinuxCalls.openByHandle(mountFd, d.kernelHandle(), flags);
            if (d.fsDev() != 0) {
                requireDev(fd, d.fsDev()); // a crossed mount's fd closed meanwhile (unmounted) and its number reused
            }
            return fd;
        } catch (IOException x) {
            NfsStatus s = Errno.status(x);
            // gone (ESTALE/ENOENT) is STALE; a resource problem (EMFILE, ENOMEM) is not the client's handle's fault
            throw new NfsException(s == NfsStatus.NOENT || s == NfsStatus.STALE ? NfsStatus.STALE : s, x.getMessage());
        }
    }

    private static void requireDev(int fd, long dev) throws NfsException {
        try {
            if (At.fstat(fd).dev() == dev) {
                return;
            }
        } catch (ErrnoException x) {
            // the check failed: not served
        }
        At.close(fd);
        throw new NfsException(NfsStatus.STALE, "crossed mount " + dev + " is gone");
    }

    @Override
    public FsObject open(Export e, byte[] handle) throws NfsException {
        int fd = byHandle(e, handle, LinuxCalls.O_PATH);
        try {
            return new FsObject(fd, At.fstat(fd));
        } catch (ErrnoException x) {
            At.close(fd);
            throw Errno.toNfs(x);
        }
    }

    @Override
    public int reopen(Export e, byte[] handle, FsObject o, int flags) throws NfsException {
        return byHandle(e, handle, flags);
    }

    @Override
    public boolean persistent() {
        return true;
    }
}
