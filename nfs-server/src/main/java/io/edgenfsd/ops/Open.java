package io.edgenfsd.ops;

import io.edgenfsd.compound.CompoundContext;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.compound.Operation;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.state.ClientRecord;
import io.edgenfsd.state.OpenOwner;
import io.edgenfsd.state.OpenState;
import io.edgenfsd.state.StateId;
import io.edgenfsd.vfs.Inode;
import io.edgenfsd.vfs.LocalFs;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.SetAttrs;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;

import java.util.concurrent.locks.ReentrantLock;

/**
 * OPEN (RFC 8881 section 18.16): CLAIM_NULL (by name, optionally creating), CLAIM_FH, CLAIM_PREVIOUS and,
 * under a read delegation, CLAIM_DELEGATE_CUR and CLAIM_DELEG_CUR_FH.
 * Permission is checked here, with the caller's identity; later READ/WRITE on the open use the server's.
 */
public final class Open implements Operation {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Open.class);
    static final int NOCREATE = 0;
    static final int CREATE = 1;
    static final int UNCHECKED4 = 0;
    static final int GUARDED4 = 1;
    static final int EXCLUSIVE4 = 2;
    static final int EXCLUSIVE4_1 = 3;
    static final int CLAIM_NULL = 0;
    static final int CLAIM_PREVIOUS = 1;
    static final int CLAIM_DELEGATE_CUR = 2;
    static final int CLAIM_DELEGATE_PREV = 3;
    static final int CLAIM_FH = 4;
    static final int CLAIM_DELEG_CUR_FH = 5;
    static final int CLAIM_DELEG_PREV_FH = 6;
    static final int RESULT_LOCKTYPE_POSIX = 0x4;
    static final int WANT_MASK = 0xFF00;

    private final ExclusiveVerifiers verifiers;

    public Open(ExclusiveVerifiers verifiers) {
        this.verifiers = verifiers;
    }

    @Override
    public void execute(CompoundContext ctx, XdrDecoder in, XdrEncoder out) throws NfsException {
        in.readInt(); // seqid: unused in 4.1 (section 8.13)
        int shareAccess = in.readInt();
        int deny = in.readInt();
        in.readLong(); // open_owner4.clientid: see below
        byte[] ownerBytes = in.readOpaque(1024);
        int openType = in.readInt();
        int createMode = -1;
        SetAttrs createAttrs = null;
        byte[] verifier = null;
        if (openType == CREATE) {
            createMode = in.readInt();
            switch (createMode) {
                case UNCHECKED4, GUARDED4 -> createAttrs = SetAttr.decode(in);
                case EXCLUSIVE4 -> verifier = in.readFixedOpaque(8);
                case EXCLUSIVE4_1 -> {
                    verifier = in.readFixedOpaque(8);
                    createAttrs = SetAttr.decode(in);
                }
                default -> throw new NfsException(NfsStatus.INVAL, "createmode " + createMode);
            }
        } else if (openType != NOCREATE) {
            throw new NfsException(NfsStatus.INVAL, "opentype " + openType);
        }
        int claim = in.readInt();
        String name = null;
        int reclaimDelegation = 0;
        StateId delegId = null;
        switch (claim) {
            case CLAIM_NULL, CLAIM_DELEGATE_PREV -> name = OpSupport.component(in);
            case CLAIM_PREVIOUS -> reclaimDelegation = in.readInt();
            case CLAIM_DELEGATE_CUR -> {
                delegId = StateId.decode(in);
                name = OpSupport.component(in);
            }
            case CLAIM_DELEG_CUR_FH -> delegId = StateId.decode(in);
            case CLAIM_FH, CLAIM_DELEG_PREV_FH -> {
            }
            default -> throw new NfsException(NfsStatus.INVAL, "claim type " + claim);
        }
        int access = shareAccess & 0xFF;
        int want = shareAccess & WANT_MASK;
        if (access < 1 || access > 3 || (deny & ~3) != 0) {
            throw new NfsException(NfsStatus.INVAL, "share access " + shareAccess + " deny " + deny);
        }
        if (claim == CLAIM_DELEGATE_PREV || claim == CLAIM_DELEG_PREV_FH) {
            // section 10.2.1, 18.16.3: for clients that keep delegations across their own restart; we keep
            // no delegations of a client that restarted
            throw new NfsException(NfsStatus.NOTSUPP, "delegation reclaim after a client restart");
        }
        // In 4.1 the clientid inside open_owner4 is ignored: the session names the client (section 18.16.3).
        ClientRecord client = ctx.client();
        LocalFs fs = ctx.server().fs();
        Inode cur = ctx.current();
        boolean reclaim = claim == CLAIM_PREVIOUS;
        OpenDelegation.Claim byDelegation = delegId == null ? null
                : OpenDelegation.heldFor(ctx, delegId, openType == CREATE);
        if (byDelegation == null) {
            // an open under a delegation of this server instance is no reclaim and may happen in grace
            ctx.server().state().checkGrace(client, reclaim);
        }
        ExportOptions opts = (access & OpenState.ACCESS_WRITE) != 0 || openType == CREATE ? ctx.enterForWrite(cur)
                : ctx.enter(cur);
        Inode file;
        boolean created = false;
        long before = 0;
        long after = 0;
        int[] attrset = new int[0];
        if (claim == CLAIM_NULL || claim == CLAIM_DELEGATE_CUR) {
            fs.requireDirectory(cur);
            Inode existing;
            ReentrantLock lock = DirLocks.of(cur.key());
            lock.lock();
            try {
                before = fs.stat(cur).change();
                existing = fs.lookupIfExists(cur, name, ctx.clientAddress());
                if (openType == CREATE) {
                    if (existing != null) {
                        if (createMode == GUARDED4) {
                            throw new NfsException(NfsStatus.EXIST);
                        }
                        if ((createMode == EXCLUSIVE4 || createMode == EXCLUSIVE4_1)
                                && !verifiers.matches(fs, existing, verifier)) {
                            throw new NfsException(NfsStatus.EXIST, "exclusive create of an existing file");
                        }
                    } else {
                        int mode = createAttrs != null && createAttrs.mode() != null ? createAttrs.mode() : 0644;
                        existing = fs.createFile(cur, name, mode, verifier);
                        created = true;
                        if (verifier != null) {
                            verifiers.store(existing, verifier);
                        }
                        fs.modified(cur);
                    }
                } else if (existing == null) {
                    throw new NfsException(NfsStatus.NOENT, name);
                }
                after = fs.stat(cur).change();
            } finally {
                lock.unlock();
            }
            file = existing;
            if (created && createAttrs != null) {
                SetAttrs rest = new SetAttrs(createAttrs.bitmap(), createAttrs.size(), null, createAttrs.owner(),
                        createAttrs.ownerGroup(), createAttrs.atimeNs(), createAttrs.mtimeNs());
                attrset = SetAttr.apply(ctx, file, rest, null, opts);
                if (createAttrs.mode() != null) {
                    attrset = Create.orBitmaps(attrset, Attributes.bitmap(Attributes.MODE));
                }
            }
            if (created && opts.sync()) {
                ctx.asServer();
                fs.syncDirectory(cur);
                ctx.enter(cur);
            }
        } else {
            if (openType == CREATE) {
                throw new NfsException(NfsStatus.INVAL, "create with a filehandle claim");
            }
            file = cur;
        }
        int type = fs.type(file);
        if (type != Stat.S_IFREG) {
            throw new NfsException(type == Stat.S_IFDIR ? NfsStatus.ISDIR
                    : type == Stat.S_IFLNK ? NfsStatus.SYMLINK : NfsStatus.WRONG_TYPE);
        }
        if (byDelegation != null) {
            byDelegation.checkFile(file);
        }
        OpenOwner owner = new OpenOwner(client.clientId(), ownerBytes);
        try (var conflict = OpenDelegation.conflicts(ctx, file, owner, access, deny)) {
            openFile(ctx, file, created, access, deny, openType, createMode, createAttrs, attrset, before, after,
                    owner, claim, want, reclaimDelegation, opts, out);
        }
    }

    private static void openFile(CompoundContext ctx, Inode file, boolean created, int access, int deny,
                                 int openType, int createMode, SetAttrs createAttrs, int[] attrsetIn, long before,
                                 long after, OpenOwner owner, int claim, int want, int reclaimDelegation,
                                 ExportOptions opts, XdrEncoder out) throws NfsException {
        LocalFs fs = ctx.server().fs();
        ClientRecord client = ctx.client();
        int[] attrset = attrsetIn;
        if (!created) {
            // the kernel decides, with the caller's identity applied, whether this access is allowed
            fs.checkAccess(file, (access & OpenState.ACCESS_READ) != 0 && (access & OpenState.ACCESS_WRITE) != 0
                    ? LocalFs.R_OK | LocalFs.W_OK : (access & OpenState.ACCESS_WRITE) != 0 ? LocalFs.W_OK : LocalFs.R_OK);
        }
        if (!created && openType == CREATE && createMode == UNCHECKED4 && createAttrs != null
                && createAttrs.size() != null && (access & OpenState.ACCESS_WRITE) != 0) {
            fs.setSize(file, createAttrs.size(), true);
            fs.modified(file);
            attrset = Attributes.bitmap(Attributes.SIZE);
        }
        OpenState open = ctx.server().state().open(client, owner, file.key(), access, deny);
        StateId sid = open.stateId();
        if (LOG.isDebugEnabled()) {
            LOG.debug("OPEN {} claim {} access {} -> {}", file, claim, access, sid);
        }
        sid.encode(out);
        OpSupport.changeInfo(out, before, after);
        out.writeInt(RESULT_LOCKTYPE_POSIX);
        out.writeBitmap(attrset);
        OpenDelegation.offer(ctx, file, access, deny, claim, want, reclaimDelegation, opts, out);
        ctx.setCurrent(file);
        ctx.setCurrentStateId(sid);
    }

}
