package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.state.ClientRecord;
import io.edgenfsd.state.Delegation;
import io.edgenfsd.state.Delegations;
import io.edgenfsd.state.OpenOwner;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.StateManager;
import io.edgenfsd.state.StateId;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.List;

/**
 * The delegation side of OPEN (RFC 8881 sections 10.4, 18.16): which delegation an OPEN offers, how
 * OPEN_DELEGATE_NONE_EXT explains a refusal, the check that recalls others' delegations, and opens that
 * claim a delegation the client holds (CLAIM_DELEGATE_CUR, CLAIM_DELEG_CUR_FH).
 */
final class OpenDelegation {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenDelegation.class);

    static final int OPEN_DELEGATE_NONE = 0;
    static final int OPEN_DELEGATE_READ = 1;
    static final int OPEN_DELEGATE_WRITE = 2;
    static final int OPEN_DELEGATE_NONE_EXT = 3;
    static final int WANT_NO_PREFERENCE = 0;
    static final int WANT_READ_DELEG = 0x0100;
    static final int WANT_WRITE_DELEG = 0x0200;
    static final int WANT_ANY_DELEG = 0x0300;
    static final int WANT_NO_DELEG = 0x0400;
    static final int WANT_CANCEL = 0x0500;
    static final int ACCESS_DENY_READ = 1;

    private OpenDelegation() {
    }

    /** The delegation an open by delegation claims; it must be the caller's and not revoked. */
    record Claim(Delegation delegation) {
        void checkFile(Inode file) throws NfsException {
            if (!delegation.file().sameInode(file.key())) {
                throw new NfsException(NfsStatus.BAD_STATEID, "delegation is for another file");
            }
        }
    }

    static Claim heldFor(CompoundContext ctx, StateId id, boolean create) throws NfsException {
        if (create) {
            throw new NfsException(NfsStatus.INVAL, "create with a delegation claim");
        }
        Delegation d = ctx.server().delegations().find(id, ctx.client());
        if (d == null) {
            throw new NfsException(NfsStatus.BAD_STATEID, "no such delegation");
        }
        return new Claim(d);
    }

    /**
     * Recalls other clients' delegations that this open conflicts with (NFS4ERR_DELAY while they are out): any
     * open conflicts with a write delegation; one for writing or denying reads also with a read delegation.
     */
    static Delegations.Conflict conflicts(CompoundContext ctx, Inode file, OpenOwner owner, int access, int deny)
            throws NfsException {
        // a share reservation conflict is answered first: such an open fails anyway and recalls nothing
        List<OpenState> others = ctx.server().state().opensOf(file.key());
        others.removeIf(o -> o.owner().equals(owner));
        if (StateManager.shareConflict(others, access, deny) != 0) {
            throw new NfsException(NfsStatus.SHARE_DENIED, "share reservation conflict");
        }
        boolean write = (access & OpenState.ACCESS_WRITE) != 0 || (deny & ACCESS_DENY_READ) != 0;
        return ctx.server().delegations().conflict(ctx.client(), file.key(), write);
    }

    /** Encodes open_delegation4: a granted delegation, or why none was (section 18.16.3). */
    static void offer(CompoundContext ctx, Inode file, int access, int deny, int claim, int want,
                      int reclaimType, ExportOptions opts, XdrEncoder out) throws NfsException {
        int type = wanted(access, claim, want, reclaimType);
        int why;
        if (type == 0) {
            why = want == WANT_NO_DELEG ? Delegations.WND4_NOT_WANTED
                    : want == WANT_CANCEL ? Delegations.WND4_CANCELLED : Delegations.WND4_WRITE_DELEG_NOT_SUPP_FTYPE;
        } else if (!opts.delegations()) {
            type = 0;
            why = Delegations.WND4_RESOURCE;
        } else {
            ClientRecord client = ctx.client();
            // a read delegation only while no other client has the file open for writing; a write one only
            // while no other client has it open at all (section 10.4)
            boolean exclusive = type == Delegation.WRITE;
            Delegations.Grant g = ctx.server().delegations().grant(client, file.key(), file.handle(), type,
                    () -> ctx.server().state().opensOf(file.key()).stream().noneMatch(o -> o.client() != client
                            && (exclusive || (o.access() & OpenState.ACCESS_WRITE) != 0)));
            if (g.delegation() != null) {
                if (exclusive) {
                    Stat st = ctx.server().fs().stat(file);
                    g.delegation().grantedAt(st.change(), st.size()); // what CB_GETATTR answers are compared to
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("OPEN {} claim {}: {} delegation {}", file, claim, exclusive ? "write" : "read",
                            g.delegation().stateId());
                }
                encodeGranted(g.delegation(), out);
                return;
            }
            type = 0;
            why = g.whyNot();
        }
        if (want == WANT_NO_PREFERENCE || claim == Open.CLAIM_PREVIOUS) {
            out.writeInt(OPEN_DELEGATE_NONE);
            return;
        }
        out.writeInt(OPEN_DELEGATE_NONE_EXT).writeInt(why);
        if (why == Delegations.WND4_CONTENTION || why == Delegations.WND4_RESOURCE) {
            out.writeBool(false); // we will not push a delegation or signal one later
        }
    }

    /** The delegation type to try for (0: none) from the access, the claim and the client's wants. */
    private static int wanted(int access, int claim, int want, int reclaimType) {
        if (claim == Open.CLAIM_PREVIOUS) {
            // reclaim of what the client held before our restart (sections 10.2.1, 18.16.3), write delegations
            // included: the Linux client keeps fcntl locks taken under a write delegation to itself and sends
            // no LOCK reclaim for them, so refusing the delegation here loses those locks ("lost N locks")
            return switch (reclaimType) {
                case OPEN_DELEGATE_READ -> Delegation.READ;
                case OPEN_DELEGATE_WRITE -> Delegation.WRITE;
                default -> 0;
            };
        }
        if (claim == Open.CLAIM_DELEGATE_CUR || claim == Open.CLAIM_DELEG_CUR_FH) {
            return 0; // it already holds one
        }
        boolean wantsRead = want == WANT_NO_PREFERENCE || want == WANT_READ_DELEG || want == WANT_ANY_DELEG;
        if (access == OpenState.ACCESS_READ && wantsRead) {
            return Delegation.READ;
        }
        // a write delegation lets the client cache reads as well as writes, so only for a read-write open
        // (as knfsd decides); section 10.4
        boolean wantsWrite = want == WANT_NO_PREFERENCE || want == WANT_WRITE_DELEG || want == WANT_ANY_DELEG;
        if (access == (OpenState.ACCESS_READ | OpenState.ACCESS_WRITE) && wantsWrite) {
            return Delegation.WRITE;
        }
        return 0;
    }

    private static void encodeGranted(Delegation d, XdrEncoder out) {
        out.writeInt(d.type() == Delegation.WRITE ? OPEN_DELEGATE_WRITE : OPEN_DELEGATE_READ);
        d.stateId().encode(out);
        out.writeBool(false); // recall: not yet
        if (d.type() == Delegation.WRITE) {
            out.writeInt(1).writeLong(Long.MAX_VALUE); // NFS_LIMIT_SIZE: no space limit
        }
        // permissions: an empty ACE, so the client asks ACCESS itself (as knfsd sends)
        out.writeInt(0).writeInt(0).writeInt(0).writeString("");
    }
}
