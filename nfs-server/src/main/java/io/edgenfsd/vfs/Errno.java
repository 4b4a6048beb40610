package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.ErrnoException;
import io.edgenfsd.vfs.linux.StaleHandleException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one map from Linux errors to nfsstat4: system calls hand back errno numbers ({@link ErrnoException});
 * the few JDK exception types still met are mapped by type. No message text is ever matched. An errno
 * without a mapping is NFS4ERR_IO and logged (one line, at most every 10 s) with its number, so a new case
 * shows up instead of becoming an RPC error or NFS4ERR_STALE.
 */
public final class Errno {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Errno.class);
    private static final AtomicLong LAST_LOG = new AtomicLong();

    private Errno() {
    }

    public static NfsException toNfs(IOException e) {
        return new NfsException(status(e), e.getMessage());
    }

    public static NfsStatus status(IOException e) {
        if (e instanceof ErrnoException x) {
            return fromErrno(x.errno(), x.getMessage());
        }
        if (e instanceof NoSuchFileException) {
            return NfsStatus.NOENT;
        }
        if (e instanceof FileAlreadyExistsException) {
            return NfsStatus.EXIST;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return NfsStatus.NOTEMPTY;
        }
        if (e instanceof AccessDeniedException) {
            return NfsStatus.ACCESS;
        }
        if (e instanceof NotDirectoryException) {
            return NfsStatus.NOTDIR;
        }
        if (e instanceof NotLinkException) {
            return NfsStatus.INVAL;
        }
        if (e instanceof StaleHandleException) {
            return NfsStatus.STALE;
        }
        unmapped(-1, String.valueOf(e));
        return NfsStatus.IO;
    }

    /** nfsstat4 for an errno (asm-generic numbering, the same on x86-64, arm and arm64). */
    public static NfsStatus fromErrno(int errno) {
        return fromErrno(errno, null);
    }

    static NfsStatus fromErrno(int errno, String what) {
        return switch (errno) {
            case 1 -> NfsStatus.PERM;            // EPERM
            case 2 -> NfsStatus.NOENT;           // ENOENT
            case 6 -> NfsStatus.NXIO;            // ENXIO
            case 13 -> NfsStatus.ACCESS;         // EACCES
            case 16, 26 -> NfsStatus.DELAY;      // EBUSY, ETXTBSY: in use now, may work on retry
            case 17 -> NfsStatus.EXIST;          // EEXIST
            case 18 -> NfsStatus.XDEV;           // EXDEV
            case 20 -> NfsStatus.NOTDIR;         // ENOTDIR
            case 21 -> NfsStatus.ISDIR;          // EISDIR
            case 22 -> NfsStatus.INVAL;          // EINVAL
            case 23, 24, 12, 11 -> NfsStatus.DELAY; // ENFILE, EMFILE, ENOMEM, EAGAIN: the server's resources
            case 27 -> NfsStatus.FBIG;           // EFBIG
            case 28 -> NfsStatus.NOSPC;          // ENOSPC
            case 30 -> NfsStatus.ROFS;           // EROFS
            case 31 -> NfsStatus.MLINK;          // EMLINK
            case 36 -> NfsStatus.NAMETOOLONG;    // ENAMETOOLONG
            case 39 -> NfsStatus.NOTEMPTY;       // ENOTEMPTY
            case 40 -> NfsStatus.SYMLINK;        // ELOOP: a symbolic link where none may be followed
            case 95 -> NfsStatus.NOTSUPP;        // EOPNOTSUPP
            case 116 -> NfsStatus.STALE;         // ESTALE (the filesystem says the object is gone)
            case 122 -> NfsStatus.DQUOT;         // EDQUOT
            default -> {
                if (errno != 5) {                // EIO is expected to be IO; anything else is news
                    unmapped(errno, what);
                }
                yield NfsStatus.IO;
            }
        };
    }

    private static void unmapped(int errno, String what) {
        long now = System.nanoTime();
        long last = LAST_LOG.get();
        if (now - last > 10_000_000_000L && LAST_LOG.compareAndSet(last, now)) {
            LOG.warn("errno {} has no NFS status of its own: answered NFS4ERR_IO ({})", errno, what);
        }
    }
}
