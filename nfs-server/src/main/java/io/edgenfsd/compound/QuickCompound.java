package io.edgenfsd.compound;

import io.netty.buffer.ByteBuf;

/**
 * Recognises COMPOUNDs that can run on the transport's event loop instead of a worker: those in which
 * nothing can wait on the disk or on a lock a worker may hold across I/O (DESIGN.md: the event loop never
 * blocks). That is SEQUENCE alone (the kernel client's lease renewal), with at most GETFH/SAVEFH/RESTOREFH:
 * SEQUENCE touches only in-memory session state under its slot's own monitor, which no one holds across
 * I/O. Everything else goes to the workers: PUTFH may open_by_handle_at a handle not in the cache,
 * LOOKUP/GETATTR/ACCESS/READLINK stat (a cold SD card takes milliseconds), READ opens and reads, CLOSE and
 * TEST_STATEID take state locks, and any op that enters an export may resolve a host name. READ's data
 * still leaves by sendfile on the event loop, after the worker has done the open, stat and size checks.
 * (benchmarks/README.md has the measured cost of the hand-off.)
 */
public final class QuickCompound {
    private QuickCompound() {
    }

    /** Whether the COMPOUND arguments starting at {@code args.readerIndex()} are quick; reads without consuming. */
    public static boolean isQuick(ByteBuf args, OperationTable table) {
        boolean[] sequence = {false};
        return ArgsPeek.walk(args, 4, (op, b, p) -> {
            if (table.get(op) == null) {
                return false;
            }
            if (op == OperationTable.SEQUENCE) {
                sequence[0] = true;
                return true;
            }
            return op == OperationTable.GETFH || op == OperationTable.SAVEFH || op == OperationTable.RESTOREFH;
        }) != ArgsPeek.UNKNOWN && sequence[0];
    }
}
