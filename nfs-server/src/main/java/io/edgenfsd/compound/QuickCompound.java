package io.edgenfsd.compound;

import io.netty.buffer.ByteBuf;

/**
 * Recognises COMPOUNDs that start on the transport's event loop instead of a worker (a thread hand-off costs
 * more than such a whole COMPOUND: benchmarks/README.md): a SEQUENCE followed only by operations
 * {@link OperationTable#mayRunOnEventLoop may run there}. Each of those runs on the loop only while it can
 * without waiting (a handle already open, a name in the kernel's dentry cache, file data in the page cache);
 * the first that would wait hands the rest of the COMPOUND to a worker (CompoundProcessor.Run). Everything
 * else goes to a worker from the start. DESIGN.md: the event loop never blocks.
 */
public final class QuickCompound {
    private QuickCompound() {
    }

    /** Whether the COMPOUND arguments starting at {@code args.readerIndex()} are quick; reads without consuming. */
    public static boolean isQuick(ByteBuf args, OperationTable table) {
        int[] index = {0};
        return ArgsPeek.walk(args, 16, (op, b, p) -> {
            boolean first = index[0]++ == 0;
            if (table.get(op) == null || first != (op == OperationTable.SEQUENCE)) {
                return false;
            }
            return OperationTable.mayRunOnEventLoop(op);
        }) != ArgsPeek.UNKNOWN;
    }
}
