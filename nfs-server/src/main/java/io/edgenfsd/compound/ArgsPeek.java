package io.edgenfsd.compound;

import io.netty.buffer.ByteBuf;

/**
 * A look at COMPOUND4args before they are decoded (without consuming them): walks the operations whose
 * argument layout is simple enough to skip, for the transport's decisions (where a call runs, how large its
 * reply may be). The real decoder, on the call's thread, reports any error this look passes over.
 */
final class ArgsPeek {
    /** Stops the walk: the remaining operations are not known. */
    static final int UNKNOWN = -1;

    interface Visitor {
        /** Called for each operation with the offset of its arguments; false stops the walk. */
        boolean op(int opcode, ByteBuf args, int argStart);
    }

    private ArgsPeek() {
    }

    /**
     * Visits the operations from {@code args.readerIndex()}. Returns the number of operations the compound
     * announces when every one was walked, or {@link #UNKNOWN} when the walk stopped early (unparsable or an
     * operation this class cannot skip, or the visitor said stop).
     */
    static int walk(ByteBuf args, int maxOps, Visitor v) {
        int p = args.readerIndex();
        int end = args.writerIndex();
        try {
            p = skipOpaque(args, p, end, 1024);    // tag
            if (p < 0 || p + 8 > end || (args.getInt(p) != 1 && args.getInt(p) != 2)) { // minor versions 1 and 2
                return UNKNOWN;
            }
            int numOps = args.getInt(p + 4);
            p += 8;
            if (numOps <= 0 || numOps > maxOps) {
                return UNKNOWN;
            }
            for (int i = 0; i < numOps; i++) {
                if (p + 4 > end) {
                    return UNKNOWN;
                }
                int op = args.getInt(p);
                p += 4;
                if (!v.op(op, args, p)) {
                    return UNKNOWN;
                }
                p = skipArgs(op, args, p, end);
                if (p < 0 || p > end) {
                    return UNKNOWN;
                }
            }
            return numOps;
        } catch (IndexOutOfBoundsException e) {
            return UNKNOWN;
        }
    }

    private static int skipArgs(int op, ByteBuf args, int p, int end) {
        return switch (op) {
            case OperationTable.SEQUENCE -> p + 32; // sessionid, seqid, slotid, highest slotid, cachethis
            case OperationTable.PUTFH -> skipOpaque(args, p, end, 128);
            case OperationTable.LOOKUP, OperationTable.SECINFO -> skipOpaque(args, p, end, 1024);
            case OperationTable.GETATTR -> skipArray(args, p, end, 4, 8);
            case OperationTable.ACCESS, OperationTable.SECINFO_NO_NAME -> p + 4;
            case OperationTable.CLOSE -> p + 20; // seqid, stateid
            case OperationTable.READ -> p + 28; // stateid, offset, count
            case OperationTable.WRITE -> skipOpaque(args, p + 28, end, Integer.MAX_VALUE); // stateid, offset, stable
            case OperationTable.COMMIT -> p + 12; // offset, count
            case OperationTable.READDIR -> skipArray(args, p + 24, end, 4, 8); // cookie, verifier, counts
            case OperationTable.TEST_STATEID -> skipArray(args, p, end, 16, 64);
            case OperationTable.PUTROOTFH, OperationTable.PUTPUBFH, OperationTable.GETFH,
                 OperationTable.SAVEFH, OperationTable.RESTOREFH, OperationTable.LOOKUPP,
                 OperationTable.READLINK -> p;
            default -> -1;
        };
    }

    private static int skipOpaque(ByteBuf b, int p, int end, int max) {
        if (p + 4 > end) {
            return -1;
        }
        int len = b.getInt(p);
        if (len < 0 || len > max || len > end - p - 4) {
            return -1;
        }
        return p + 4 + ((len + 3) & ~3);
    }

    private static int skipArray(ByteBuf b, int p, int end, int elementSize, int max) {
        if (p + 4 > end) {
            return -1;
        }
        int n = b.getInt(p);
        if (n < 0 || n > max) {
            return -1;
        }
        return p + 4 + n * elementSize;
    }
}
