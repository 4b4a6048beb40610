package io.edgenfsd.vfs.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Reflinks: {@code ioctl(FICLONERANGE)} on a {@code struct file_clone_range} (s64 src_fd, u64 src_offset,
 * u64 src_length, u64 dest_offset: 32 bytes; the ioctl number is the same on every architecture), and the
 * probe of whether a filesystem can do them at all.
 */
public final class Reflink {
    private static final long FICLONERANGE = 0x4020940DL;          // _IOW(0x94, 13, struct file_clone_range)
    private static final long XFS_IOC_FSGEOMETRY_V4 = 0x8070587CL; // _IOR('X', 124, struct xfs_fsop_geom_v4)
    private static final int GEOM_V4_SIZE = 112;
    private static final int GEOM_BLOCKSIZE = 0;
    private static final int GEOM_FLAGS = 92;
    private static final int XFS_FSOP_GEOM_FLAGS_REFLINK = 1 << 20;
    private static final long XFS_SUPER_MAGIC = 0x58465342L;
    private static final long BTRFS_SUPER_MAGIC = 0x9123683EL;
    private static final int STATFS_SIZE = 256; // struct statfs64 is 120 bytes on 64-bit, 84 on arm

    private interface C extends Library {
        int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

        int fstatfs64(int fd, Pointer buf) throws LastErrorException;
    }

    private static final C LIBC = Arch.CURRENT.supported() ? Native.load("c", C.class) : null;

    private Reflink() {
    }

    /** FICLONERANGE: {@code length} bytes of {@code src} at {@code srcOffset} shared into {@code dst}. */
    public static void cloneRange(int src, long srcOffset, long length, int dst, long dstOffset)
            throws ErrnoException {
        if (LIBC == null) {
            throw ErrnoException.of(95, "FICLONERANGE", "fd");
        }
        try (Memory m = new Memory(32)) {
            m.setLong(0, src);
            m.setLong(8, srcOffset);
            m.setLong(16, length);
            m.setLong(24, dstOffset);
            LIBC.ioctl(dst, new NativeLong(FICLONERANGE), m);
        } catch (LastErrorException x) {
            throw ErrnoException.of(x.getErrorCode(), "FICLONERANGE", "fd");
        }
    }

    /**
     * The clone granularity of the filesystem {@code fd} (a file or directory opened for reading) is on, 0
     * when it cannot reflink. Sound without writing anything: btrfs always reflinks (in units of its sector
     * size, statfs f_bsize); XFS does exactly when its geometry has XFS_FSOP_GEOM_FLAGS_REFLINK (mkfs
     * -m reflink=1, the default since xfsprogs 5.1), in units of its block size; the filesystems the kernel
     * can also reflink on (ocfs2, bcachefs, overlayfs over these, nfs) answer 0 and so CLONE NOTSUPP: a false
     * "no" costs a client a copy instead of a clone, a false "yes" would make it fail a clone it asked for.
     */
    public static int blockSize(int fd) throws ErrnoException {
        if (LIBC == null) {
            return 0;
        }
        try (Memory st = new Memory(STATFS_SIZE)) {
            st.clear();
            LIBC.fstatfs64(fd, st);
            long type = Native.LONG_SIZE == 8 ? st.getLong(0) & 0xffffffffL : st.getInt(0) & 0xffffffffL;
            long bsize = Native.LONG_SIZE == 8 ? st.getLong(8) : st.getInt(4);
            if (type == BTRFS_SUPER_MAGIC) {
                return (int) bsize;
            }
            if (type != XFS_SUPER_MAGIC) {
                return 0;
            }
            try (Memory g = new Memory(GEOM_V4_SIZE)) {
                g.clear();
                LIBC.ioctl(fd, new NativeLong(XFS_IOC_FSGEOMETRY_V4), g);
                return (g.getInt(GEOM_FLAGS) & XFS_FSOP_GEOM_FLAGS_REFLINK) != 0 ? g.getInt(GEOM_BLOCKSIZE) : 0;
            }
        } catch (LastErrorException x) {
            throw ErrnoException.of(x.getErrorCode(), "FS_IOC geometry", "fd");
        }
    }
}
