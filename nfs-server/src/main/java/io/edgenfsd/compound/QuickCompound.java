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
        int p = args.readerIndex();
        int end = args.writerIndex();
        try {
            p = skipOpaque(args, p, end, 1024);    // tag
            if (p < 0 || p + 8 > end || args.getInt(p) != 1) { // minor version 1 only
                return false;
            }
            int numOps = args.getInt(p + 4);
            p += 8;
            if (numOps <= 0 || numOps > 16) {
                return false;
            }
            for (int i = 0; i < numOps; i++) {
                if (p + 4 > end) {
                    return false;
                }
                int op = args.getInt(p);
                p += 4;
                if (table.get(op) == null) {
                    return false;
                }
                p = switch (op) {
                    case OperationTable.SEQUENCE -> p + 32; // sessionid, seqid, slotid, highest slotid, cachethis
                    case OperationTable.PUTFH -> skipOpaque(args, p, end, 128);
                    case OperationTable.LOOKUP, OperationTable.SECINFO -> skipOpaque(args, p, end, 1024);
                    case OperationTable.GETATTR -> skipArray(args, p, end, 4, 8);
                    case OperationTable.ACCESS, OperationTable.SECINFO_NO_NAME -> p + 4;
                    case OperationTable.CLOSE -> p + 20; // seqid, stateid: releases state, no I/O
                    case OperationTable.READ -> p + 28; // stateid, offset, count
                    case OperationTable.TEST_STATEID -> skipArray(args, p, end, 16, 64);
                    case OperationTable.PUTROOTFH, OperationTable.PUTPUBFH, OperationTable.GETFH,
                         OperationTable.SAVEFH, OperationTable.RESTOREFH, OperationTable.LOOKUPP,
                         OperationTable.READLINK -> p;
                    default -> -1;
                };
                if (p < 0 || p > end) {
                    return false;
                }
            }
            return true;
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static int skipOpaque(ByteBuf b, int p, int end, int max) {
        if (p + 4 > end) {
            return -1;
        }
        int len = b.getInt(p);
        if (len < 0 || len > max) {
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
