package io.edgenfsd.vfs.linux;

import java.nio.file.FileSystemException;

/**
 * The kernel no longer knows the object a handle named (ESTALE from {@code open_by_handle_at(2)}: the file was
 * deleted, or the handle belongs to another filesystem). Maps to NFS4ERR_STALE.
 */
public class StaleHandleException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    public StaleHandleException(String file, String reason) {
        super(file, null, reason);
    }
}
