package io.edgenfsd.compound;

import io.netty.buffer.ByteBuf;

/**
 * Recognises COMPOUNDs that only read (SEQUENCE, PUTFH, LOOKUP, GETATTR, ACCESS, READ, CLOSE, ...): the
 * kernel client's lookups, revalidations, reads and CLOSEs, which it sends one after another while an
 * application waits. They neither write nor fsync, so the transport runs them on its event loop instead of
 * handing them to a worker: on the measuring machine the hand-off (two thread wake-ups) cost more than the
 * operations themselves (benchmarks/README.md). READ belongs here because its data already leaves by
 * sendfile on the event loop, which waits for the disk when the data is not cached; a small READ's pread
 * waits no differently. Anything else, and anything this peek cannot parse, goes to the workers, whose
 * decoder reports the errors.
 */
public final class QuickCompound {
    private QuickCompound() {
    }

    /** Whether the COMPOUND arguments starting at {@code args.readerIndex()} are quick; reads without consuming. */
    public static boolean isQuick(ByteBuf args, OperationTable table) {
        return ArgsPeek.walk(args, 16, (op, b, p) -> table.get(op) != null && switch (op) {
            case OperationTable.SEQUENCE, OperationTable.PUTFH, OperationTable.LOOKUP, OperationTable.SECINFO,
                 OperationTable.GETATTR, OperationTable.ACCESS, OperationTable.SECINFO_NO_NAME,
                 OperationTable.CLOSE, OperationTable.READ, OperationTable.TEST_STATEID,
                 OperationTable.PUTROOTFH, OperationTable.PUTPUBFH, OperationTable.GETFH,
                 OperationTable.SAVEFH, OperationTable.RESTOREFH, OperationTable.LOOKUPP,
                 OperationTable.READLINK -> true;
            default -> false;
        }) != ArgsPeek.UNKNOWN;
    }
}
