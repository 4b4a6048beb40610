package io.edgenfsd.vfs.linux;

import java.nio.file.FileSystemException;

/**
 * A failed Linux call and its errno. The errno number is what callers map (one table, in vfs.Errno); the
 * message, with the kernel's text, is only for logs.
 */
public class ErrnoException extends FileSystemException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public ErrnoException(String file, int errno, String reason) {
        super(file, null, reason);
        this.errno = errno;
    }

    /**
     * An exception for {@code errno} from call {@code what} on {@code file} (any object, or null). Cheap: the
     * kernel's text is looked up only if the message is read (expected errors such as ENOENT or EEXIST are
     * common on the hot path).
     */
    public static ErrnoException of(int errno, String what, Object file) {
        return new ErrnoException(file == null ? null : file.toString(), errno, what);
    }

    @Override
    public String getMessage() {
        return super.getMessage() + ": " + LinuxCalls.strerror(errno) + " (errno " + errno + ")";
    }

    public int errno() {
        return errno;
    }
}
