package io.edgenfsd.vfs;

import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;

/** Maps Linux errors, as errno or as java.nio exceptions, to nfsstat4. */
public final class Errno {
    private Errno() {
    }

    /** A FileSystemException whose reason is the errno name, so {@link #status} can map it back. */
    static IOException toException(int errno, Path path) {
        String p = String.valueOf(path);
        return switch (errno) {
            case 2 -> new NoSuchFileException(p);
            case 13 -> new AccessDeniedException(p);
            case 17 -> new FileAlreadyExistsException(p);
            case 39 -> new DirectoryNotEmptyException(p);
            default -> new FileSystemException(p, null, "errno " + errno);
        };
    }

    public static NfsException toNfs(IOException e) {
        return new NfsException(status(e), e.getMessage());
    }

    public static NfsStatus status(IOException e) {
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
        String reason = e instanceof FileSystemException f ? String.valueOf(f.getReason()) : String.valueOf(e.getMessage());
        if (reason.contains("errno ")) {
            int errno = Integer.parseInt(reason.substring(reason.indexOf("errno ") + 6).trim());
            return fromErrno(errno);
        }
        if (reason.contains("Read-only file system")) {
            return NfsStatus.ROFS;
        }
        if (reason.contains("No space left")) {
            return NfsStatus.NOSPC;
        }
        if (reason.contains("Is a directory")) {
            return NfsStatus.ISDIR;
        }
        if (reason.contains("Not a directory")) {
            return NfsStatus.NOTDIR;
        }
        if (reason.contains("Operation not permitted")) {
            return NfsStatus.PERM;
        }
        if (reason.contains("Permission denied")) {
            return NfsStatus.ACCESS;
        }
        if (reason.contains("cross-device")) {
            return NfsStatus.XDEV;
        }
        if (reason.contains("name too long")) {
            return NfsStatus.NAMETOOLONG;
        }
        if (reason.contains("Too many links")) {
            return NfsStatus.MLINK;
        }
        if (reason.contains("not empty")) {
            return NfsStatus.NOTEMPTY;
        }
        if (reason.contains("Invalid argument")) {
            return NfsStatus.INVAL;
        }
        if (reason.contains("quota")) {
            return NfsStatus.DQUOT;
        }
        if (reason.contains("File too large")) {
            return NfsStatus.FBIG;
        }
        if (reason.contains("File exists")) {
            return NfsStatus.EXIST;
        }
        if (reason.contains("No such file")) {
            return NfsStatus.NOENT;
        }
        if (reason.contains("Too many levels of symbolic links")) {
            return NfsStatus.SYMLINK;
        }
        return NfsStatus.IO;
    }

    static NfsStatus fromErrno(int errno) {
        return switch (errno) {
            case 1 -> NfsStatus.PERM;
            case 2 -> NfsStatus.NOENT;
            case 6 -> NfsStatus.NXIO;
            case 13 -> NfsStatus.ACCESS;
            case 17 -> NfsStatus.EXIST;
            case 18 -> NfsStatus.XDEV;
            case 20 -> NfsStatus.NOTDIR;
            case 21 -> NfsStatus.ISDIR;
            case 22 -> NfsStatus.INVAL;
            case 27 -> NfsStatus.FBIG;
            case 28 -> NfsStatus.NOSPC;
            case 30 -> NfsStatus.ROFS;
            case 31 -> NfsStatus.MLINK;
            case 36 -> NfsStatus.NAMETOOLONG;
            case 39 -> NfsStatus.NOTEMPTY;
            case 40 -> NfsStatus.SYMLINK;
            case 122 -> NfsStatus.DQUOT;
            default -> NfsStatus.IO;
        };
    }
}
