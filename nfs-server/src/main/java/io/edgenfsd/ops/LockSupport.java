package io.edgenfsd.ops;

import io.edgenfsd.compound.NfsErrorWithBody;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.state.ByteRangeLocks;
import io.edgenfsd.xdr.XdrEncoder;

/** Lock types, ranges and the LOCK4denied body shared by LOCK and LOCKT (RFC 8881 section 18.10). */
final class LockSupport {
    static final int READ_LT = 1;
    static final int WRITE_LT = 2;
    static final int READW_LT = 3;
    static final int WRITEW_LT = 4;

    private LockSupport() {
    }

    static boolean isWrite(int type) throws NfsException {
        return switch (type) {
            case READ_LT, READW_LT -> false;
            case WRITE_LT, WRITEW_LT -> true;
            default -> throw new NfsException(NfsStatus.INVAL, "lock type " + type);
        };
    }

    /** Exclusive end of [offset, offset+length); all-ones length means to end of file. */
    static long end(long offset, long length) throws NfsException {
        if (length == 0) {
            throw new NfsException(NfsStatus.INVAL, "zero-length lock");
        }
        if (length == -1L) {
            return ByteRangeLocks.TO_EOF;
        }
        long end = offset + length;
        if (Long.compareUnsigned(end, offset) < 0 && end != 0) {
            throw new NfsException(NfsStatus.INVAL, "lock range beyond 2^64");
        }
        return end == 0 ? ByteRangeLocks.TO_EOF : end;
    }

    /** LOCK4denied for {@code caller}'s request blocked by {@code held}. */
    static NfsException denied(ByteRangeLocks.Lock held, long caller) {
        return new NfsErrorWithBody(NfsStatus.DENIED, "lock held by another owner",
                out -> encodeDenied(out, held, caller));
    }

    /**
     * The holder's client id only when it is the caller's own: in 4.1 the field carries no meaning (the
     * client is the session's, RFC 8881 section 18.10.3), and another client's id is its secret.
     */
    static void encodeDenied(XdrEncoder out, ByteRangeLocks.Lock held, long caller) {
        long length = held.end() == ByteRangeLocks.TO_EOF ? -1L : held.end() - held.start();
        out.writeLong(held.start()).writeLong(length).writeInt(held.write() ? WRITE_LT : READ_LT);
        out.writeLong(held.owner().clientId() == caller ? caller : 0).writeOpaque(held.owner().owner());
    }
}
