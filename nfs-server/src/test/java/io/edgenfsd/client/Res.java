package io.edgenfsd.client;

import java.util.List;

/** Result bodies of the operations the test client decodes (RFC 8881 section 18). */
public final class Res {
    private Res() {
    }

    public record Sequence(byte[] sessionId, int seq, int slot, int highestSlot, int targetHighest, int flags) {
    }

    /** With SP4_MACH_CRED (stateProtection 1) the operations the server enforces and allows. */
    public record ExchangeId(long clientId, int seq, int flags, int stateProtection, int[] mustEnforce,
                             int[] mustAllow) {
        public ExchangeId(long clientId, int seq, int flags) {
            this(clientId, seq, flags, 0, new int[0], new int[0]);
        }
    }

    public record CreateSession(byte[] sessionId, int seq, int flags, int foreSlots, int foreMaxOps,
                                int maxResponseCached) {
    }

    public record ChangeInfo(boolean atomic, long before, long after) {
        static ChangeInfo decode(XdrIn in) {
            return new ChangeInfo(in.bool(), in.int64(), in.int64());
        }
    }

    /** delegation is the granted delegation's stateid (null if none); whyNoDelegation is ond_why or -1. */
    public record Open(Stateid stateid, ChangeInfo cinfo, int rflags, int[] attrset, int delegationType,
                       Stateid delegation, int whyNoDelegation) {
    }

    public record Read(boolean eof, byte[] data) {
    }

    /** COPY4resok with wr_callback_id's length (0 or 1; a callback stateid is not expected here). */
    public record Copy(int callbackIds, long count, int committed, byte[] verifier, boolean consecutive,
                       boolean synchronous) {
    }

    public record ReadPlus(boolean eof, java.util.List<Segment> segments) {
        public record Segment(long offset, byte[] data) {
        }
    }

    public record ListXattrs(long cookie, java.util.List<String> names, boolean eof) {
    }

    public record Seek(boolean eof, long offset) {
    }

    public record Write(int count, int committed, byte[] verifier) {
    }

    public record Create(ChangeInfo cinfo, int[] attrset) {
    }

    public record Rename(ChangeInfo source, ChangeInfo target) {
    }

    public record DirEntry(long cookie, String name, Fattr attrs) {
    }

    public record ReadDir(byte[] verifier, List<DirEntry> entries, boolean eof) {
    }

    public record LockDenied(long offset, long length, int type, long clientId, byte[] owner) {
    }

    public record Access(int supported, int access) {
    }

    public record BindConn(byte[] sessionId, int dir) {
    }
}
