package io.edgenfsd.vfs.linux;

import java.nio.file.FileSystemException;

/** A failed Linux call whose errno has no more specific {@link java.nio.file} exception. */
public class ErrnoException extends FileSystemException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public ErrnoException(String file, int errno, String reason) {
        super(file, null, reason);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
