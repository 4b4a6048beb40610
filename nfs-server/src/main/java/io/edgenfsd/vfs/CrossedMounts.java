package io.edgenfsd.vfs;

import io.edgenfsd.vfs.linux.At;
import io.edgenfsd.vfs.linux.ErrnoException;
import io.edgenfsd.vfs.linux.LinuxCalls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The filesystems mounted inside exports that clients entered through {@code crossmnt} (knfsd's
 * nfsd_cross_mnt): per filesystem (st_dev) one live mount, with an fd of its root for open_by_handle_at
 * (kernel handles are per filesystem), its mount id, and the directory it covers (mounted_on_fileid,
 * LOOKUPP). A mount that leaves the mount table (umount, umount -l) is dropped as soon as an operation
 * touches one of its objects: {@code /proc/self/mountinfo} is polled (one system call) and read again only
 * when it changed; its handles are then NFS4ERR_STALE.
 */
final class CrossedMounts {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CrossedMounts.class);

    /** One crossed mount. {@code parent*}: the directory holding the covered one, on the parent's mount. */
    record Mount(int exportId, long dev, long mountId, long rootIno, int mountFd, long coveredIno,
                 long parentDev, long parentIno, long parentMountId) {
    }

    private final Map<Long, Mount> byDev = new ConcurrentHashMap<>();
    private final Object tableLock = new Object();
    private int mountinfoFd = -2; // -2 not yet opened, -1 cannot be opened (no change detection)

    /** A live mount of filesystem {@code dev} crossed into below export {@code exportId}, or null. */
    Mount get(int exportId, long dev) {
        Mount m = byDev.get(dev);
        return m != null && m.exportId() == exportId ? m : null;
    }

    /** The crossed mount whose root is (dev, ino), or null. */
    Mount rootAt(long dev, long ino) {
        Mount m = byDev.get(dev);
        return m != null && m.rootIno() == ino ? m : null;
    }

    boolean isEmpty() {
        return byDev.isEmpty();
    }

    /**
     * Registers the mount whose root {@code rootFd} is, just opened as {@code name} in {@code parent} (a
     * directory of export {@code exportId}); the existing record when that mount is already known.
     */
    Mount crossed(int exportId, int rootFd, io.edgenfsd.vfs.linux.Stat st, FsObject parent, String name)
            throws ErrnoException {
        Mount m = byDev.get(st.dev());
        if (m != null && m.exportId() == exportId && m.mountId() == st.mountId()) {
            return m;
        }
        long covered = -1;
        int dfd = At.reopenDirectory(parent.fd);
        try {
            covered = At.entryIno(dfd, name);
        } finally {
            At.close(dfd);
            java.lang.ref.Reference.reachabilityFence(parent);
        }
        synchronized (tableLock) {
            if (mountinfoFd == -2) {
                mountinfoFd = openMountinfo(); // before the mount is known: its unmount is a change after this
            }
        }
        int mfd = At.reopenDirectory(rootFd);
        Mount n = new Mount(exportId, st.dev(), st.mountId(), st.ino(), mfd, covered < 0 ? st.ino() : covered,
                parent.dev, parent.ino, parent.mountId);
        Mount old = byDev.put(st.dev(), n);
        if (old != null) {
            At.close(old.mountFd()); // replaced (remounted, or another export): handles carry the dev, not the mount
        }
        LOG.info("export {}: crossed into the filesystem {} mounted on {} (mount id {})", exportId, st.dev(), name,
                st.mountId());
        return n;
    }

    /**
     * Whether a mount table change removed mounts we crossed into; drops them and returns their devs
     * (their cached objects must go: their fds keep the unmounted filesystem alive).
     */
    List<Long> dropUnmounted() {
        if (byDev.isEmpty()) {
            return List.of();
        }
        synchronized (tableLock) {
            try {
                boolean opened = mountinfoFd == -2;
                if (opened) {
                    mountinfoFd = openMountinfo(); // its first poll reports changes after this open only: scan now
                }
                if (mountinfoFd < 0 || !opened && !At.mountTableChanged(mountinfoFd)) {
                    return List.of();
                }
                Set<Long> live = new HashSet<>();
                for (MountInfo mi : mountInfo()) {
                    live.add(mi.id());
                }
                List<Long> gone = new ArrayList<>();
                for (Mount m : byDev.values()) {
                    if (m.mountId() >= 0 && !live.contains(m.mountId()) && byDev.remove(m.dev(), m)) {
                        At.close(m.mountFd());
                        gone.add(m.dev());
                        LOG.info("export {}: the crossed filesystem {} (mount id {}) was unmounted; its handles are"
                                + " stale", m.exportId(), m.dev(), m.mountId());
                    }
                }
                return gone;
            } catch (IOException x) {
                LOG.warn("cannot read the mount table: {}", x.getMessage());
                return List.of();
            }
        }
    }

    /**
     * Finds (after a restart, or once its record was replaced) the mount of filesystem {@code dev} whose
     * mount point lies below {@code exportPath}, whose root is {@code root}: it is opened one component at a
     * time from the root's fd (no symbolic link followed, never above the export root, mounts crossed) and
     * must be the very mount the table names (its mount id). Null when there is none.
     */
    Mount discover(int exportId, FsObject root, String exportPath, long dev) throws ErrnoException {
        List<MountInfo> table;
        try {
            table = mountInfo();
        } catch (IOException x) {
            LOG.warn("cannot read the mount table: {}", x.getMessage());
            return null;
        }
        String prefix = exportPath.equals("/") ? "/" : exportPath + "/";
        for (MountInfo mi : table) {
            if (mi.dev() != dev || !mi.mountPoint().startsWith(prefix) || mi.mountPoint().length() == prefix.length()) {
                continue;
            }
            String[] parts = mi.mountPoint().substring(prefix.length()).split("/");
            FsObject dir = root;
            int fd = -1;
            try {
                for (int k = 0; k < parts.length; k++) {
                    if (parts[k].isEmpty() || parts[k].equals(".") || parts[k].equals("..")) {
                        throw ErrnoException.of(At.EXDEV, "mount point component", parts[k]);
                    }
                    fd = At.openCrossing(dir.fd, parts[k]);
                    io.edgenfsd.vfs.linux.Stat st = At.fstat(fd);
                    if (k == parts.length - 1) {
                        if (st.mountId() != mi.id() || st.dev() != dev) {
                            break; // not the mount the table names (raced, or stacked over): next line
                        }
                        Mount m = crossed(exportId, fd, st, dir, parts[k]);
                        return m;
                    }
                    if (!st.isDirectory()) {
                        break;
                    }
                    dir = new FsObject(fd, st); // owns fd from here
                    fd = -1;
                }
            } catch (ErrnoException x) {
                LOG.debug("mount {} not reachable from export {}: {}", mi.mountPoint(), exportId, x.getMessage());
            } finally {
                At.close(fd);
                java.lang.ref.Reference.reachabilityFence(dir);
            }
        }
        return null;
    }

    private static int openMountinfo() {
        try {
            return At.openTrusted("/proc/self/mountinfo", LinuxCalls.O_RDONLY);
        } catch (ErrnoException x) {
            LOG.warn("no /proc/self/mountinfo ({}): unmounts of crossed mounts are not noticed", x.getMessage());
            return -1;
        }
    }

    /** One line of /proc/self/mountinfo (proc(5)): mount id, st_dev (glibc encoding), mount point. */
    record MountInfo(long id, long dev, String mountPoint) {
    }

    static List<MountInfo> mountInfo() throws IOException {
        List<MountInfo> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            String[] mm = f[2].split(":");
            out.add(new MountInfo(Long.parseLong(f[0]), makedev(Long.parseLong(mm[0]), Long.parseLong(mm[1])),
                    unescape(f[4])));
        }
        return out;
    }

    /** glibc's makedev: the dev_t encoding statx's major/minor are reported in (see linux/Stat). */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\\' && isOctal(in, i + 1)) {
                b.write(Integer.parseInt(new String(in, i + 1, 3, StandardCharsets.US_ASCII), 8));
                i += 3;
            } else {
                b.write(in[i]);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] in, int from) {
        if (from + 3 > in.length) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (in[i] < '0' || in[i] > '7') {
                return false;
            }
        }
        return true;
    }
}
