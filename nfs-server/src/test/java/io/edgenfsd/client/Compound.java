package io.edgenfsd.client;

/**
 * Builds COMPOUND4args (RFC 8881 section 16.2): tag, minor version and the operations in order. Every
 * method appends one operation; {@link #raw} appends hand-made bytes for malformed-input tests.
 */
public final class Compound {
    private final XdrOut ops = new XdrOut();
    private int count;
    private String tag = "";
    private int minor = 1;

    public Compound tag(String t) {
        tag = t;
        return this;
    }

    public Compound minorVersion(int m) {
        minor = m;
        return this;
    }

    public int opCount() {
        return count;
    }

    private XdrOut op(int opcode) {
        count++;
        return ops.int32(opcode);
    }

    /** Any opcode followed by argument bytes as given. */
    public Compound raw(int opcode, byte[] args) {
        op(opcode).raw(args);
        return this;
    }

    public byte[] encode() {
        return encode(count);
    }

    /** With a numops field that need not match the operations present. */
    public byte[] encode(int numOps) {
        return new XdrOut().string(tag).int32(minor).int32(numOps).raw(ops.toByteArray()).toByteArray();
    }

    // ----- session and client -----

    public Compound sequence(byte[] sessionId, int seq, int slot, int highestSlot, boolean cacheThis) {
        op(Op.SEQUENCE).fixed(sessionId).int32(seq).int32(slot).int32(highestSlot).bool(cacheThis);
        return this;
    }

    public Compound exchangeId(byte[] verifier, byte[] owner, int flags) {
        op(Op.EXCHANGE_ID).fixed(verifier).opaque(owner).int32(flags).int32(0).int32(0);
        return this;
    }

    /** EXCHANGE_ID asking for SP4_MACH_CRED state protection with these spo_must_enforce/allow bitmaps. */
    public Compound exchangeIdMachineCredential(byte[] verifier, byte[] owner, int flags, int[] enforce, int[] allow) {
        op(Op.EXCHANGE_ID).fixed(verifier).opaque(owner).int32(flags).int32(1).bitmap(enforce).bitmap(allow).int32(0);
        return this;
    }

    /** Fore channel asks for {@code slots} slots; AUTH_SYS back channel on this connection when asked. */
    public Compound createSession(long clientId, int seq, int flags, int slots, int cbProgram) {
        // as the Linux client: 1 MiB of data plus room for the rest of the COMPOUND each way
        return createSession(clientId, seq, flags, slots, cbProgram, (1 << 20) + 65536, (1 << 20) + 65536,
                64 * 1024);
    }

    /** As above with the given fore-channel ca_maxrequestsize, ca_maxresponsesize, ca_maxresponsesize_cached. */
    public Compound createSession(long clientId, int seq, int flags, int slots, int cbProgram, int maxRequest,
                                  int maxResponse, int maxResponseCached) {
        XdrOut o = op(Op.CREATE_SESSION).int64(clientId).int32(seq).int32(flags);
        o.int32(0).int32(maxRequest).int32(maxResponse).int32(maxResponseCached).int32(32).int32(slots).int32(0);
        o.int32(0).int32(16384).int32(16384).int32(0).int32(4).int32(1).int32(0);
        o.int32(cbProgram).int32(1).int32(1).raw(Cred.root().authSysBody());
        return this;
    }

    /** CREATE_SESSION with the given request/response sizes for each channel (to test the server's limits). */
    public Compound createSessionChannels(long clientId, int seq, int flags, int foreRequest, int foreResponse,
                                          int backRequest, int backResponse, int backOps) {
        XdrOut o = op(Op.CREATE_SESSION).int64(clientId).int32(seq).int32(flags);
        o.int32(0).int32(foreRequest).int32(foreResponse).int32(4096).int32(16).int32(4).int32(0);
        o.int32(0).int32(backRequest).int32(backResponse).int32(0).int32(backOps).int32(1).int32(0);
        o.int32(0).int32(0);
        return this;
    }

    public Compound destroySession(byte[] sessionId) {
        op(Op.DESTROY_SESSION).fixed(sessionId);
        return this;
    }

    public Compound destroyClientId(long clientId) {
        op(Op.DESTROY_CLIENTID).int64(clientId);
        return this;
    }

    public Compound reclaimComplete(boolean oneFs) {
        op(Op.RECLAIM_COMPLETE).bool(oneFs);
        return this;
    }

    public Compound bindConnToSession(byte[] sessionId, int dir) {
        op(Op.BIND_CONN_TO_SESSION).fixed(sessionId).int32(dir).bool(false);
        return this;
    }

    // ----- filehandles -----

    public Compound putrootfh() {
        op(Op.PUTROOTFH);
        return this;
    }

    public Compound putpubfh() {
        op(Op.PUTPUBFH);
        return this;
    }

    public Compound putfh(byte[] fh) {
        op(Op.PUTFH).opaque(fh);
        return this;
    }

    public Compound getfh() {
        op(Op.GETFH);
        return this;
    }

    public Compound savefh() {
        op(Op.SAVEFH);
        return this;
    }

    public Compound restorefh() {
        op(Op.RESTOREFH);
        return this;
    }

    public Compound lookup(String name) {
        op(Op.LOOKUP).string(name);
        return this;
    }

    public Compound lookupBytes(byte[] name) {
        op(Op.LOOKUP).opaque(name);
        return this;
    }

    public Compound lookupp() {
        op(Op.LOOKUPP);
        return this;
    }

    public Compound secinfo(String name) {
        op(Op.SECINFO).string(name);
        return this;
    }

    public Compound secinfoNoName(int style) {
        op(Op.SECINFO_NO_NAME).int32(style);
        return this;
    }

    // ----- attributes -----

    public Compound getattr(int... bits) {
        op(Op.GETATTR).bitmap(Fattr.bitmap(bits));
        return this;
    }

    public Compound setattr(Stateid stateid, Attrs attrs) {
        XdrOut o = op(Op.SETATTR);
        stateid.encode(o);
        attrs.encode(o);
        return this;
    }

    public Compound verify(int[] bitmap, byte[] values) {
        op(Op.VERIFY).bitmap(bitmap).opaque(values);
        return this;
    }

    public Compound nverify(int[] bitmap, byte[] values) {
        op(Op.NVERIFY).bitmap(bitmap).opaque(values);
        return this;
    }

    public Compound access(int bits) {
        op(Op.ACCESS).int32(bits);
        return this;
    }

    // ----- open, I/O, close -----

    private XdrOut openHead(int access, int deny, long clientId, byte[] owner) {
        return op(Op.OPEN).int32(0).int32(access).int32(deny).int64(clientId).opaque(owner);
    }

    /** OPEN CLAIM_NULL without create. */
    public Compound open(int access, int deny, long clientId, byte[] owner, String name) {
        openHead(access, deny, clientId, owner).int32(0).int32(0).string(name);
        return this;
    }

    /** OPEN CLAIM_NULL with create: UNCHECKED4/GUARDED4 send attrs; EXCLUSIVE4_1 sends verifier and attrs. */
    public Compound openCreate(int access, int deny, long clientId, byte[] owner, int createMode, Attrs attrs,
                               byte[] verifier, String name) {
        XdrOut o = openHead(access, deny, clientId, owner).int32(1).int32(createMode);
        switch (createMode) {
            case Op.UNCHECKED, Op.GUARDED -> attrs.encode(o);
            case Op.EXCLUSIVE4 -> o.fixed(verifier);
            default -> {
                o.fixed(verifier);
                attrs.encode(o);
            }
        }
        o.int32(0).string(name);
        return this;
    }

    /** OPEN CLAIM_PREVIOUS of the current filehandle: reclaim after a server restart (no delegation). */
    public Compound openPrevious(int access, int deny, long clientId, byte[] owner) {
        return openPrevious(access, deny, clientId, owner, 0);
    }

    /** OPEN CLAIM_PREVIOUS reclaiming a delegation of type delegateType (1 read, 2 write) held before. */
    public Compound openPrevious(int access, int deny, long clientId, byte[] owner, int delegateType) {
        openHead(access, deny, clientId, owner).int32(0).int32(1).int32(delegateType);
        return this;
    }

    /** OPEN CLAIM_FH of the current filehandle. */
    public Compound openFh(int access, int deny, long clientId, byte[] owner) {
        openHead(access, deny, clientId, owner).int32(0).int32(4);
        return this;
    }

    /** OPEN CLAIM_DELEG_CUR_FH of the current filehandle, under a delegation the client holds. */
    public Compound openDelegCurFh(int access, int deny, long clientId, byte[] owner, Stateid delegation) {
        delegation.encode(openHead(access, deny, clientId, owner).int32(0).int32(5));
        return this;
    }

    public Compound openDowngrade(Stateid stateid, int access, int deny) {
        XdrOut o = op(Op.OPEN_DOWNGRADE);
        stateid.encode(o);
        o.int32(0).int32(access).int32(deny);
        return this;
    }

    public Compound close(Stateid stateid) {
        XdrOut o = op(Op.CLOSE).int32(0);
        stateid.encode(o);
        return this;
    }

    public Compound readPlus(Stateid stateid, long offset, int count) {
        XdrOut o = op(Op.READ_PLUS);
        stateid.encode(o);
        o.int64(offset).int32(count);
        return this;
    }

    public Compound read(Stateid stateid, long offset, int count) {
        XdrOut o = op(Op.READ);
        stateid.encode(o);
        o.int64(offset).int32(count);
        return this;
    }

    public Compound write(Stateid stateid, long offset, int stable, byte[] data) {
        XdrOut o = op(Op.WRITE);
        stateid.encode(o);
        o.int64(offset).int32(stable).opaque(data);
        return this;
    }

    /** ALLOCATE or DEALLOCATE (RFC 7862 sections 15.1, 15.4): stateid, offset, length. */
    public Compound allocate(int opcode, Stateid stateid, long offset, long length) {
        XdrOut o = op(opcode);
        stateid.encode(o);
        o.int64(offset).int64(length);
        return this;
    }

    /** COPY (RFC 7862 section 15.2), intra-server: saved filehandle to current, no source servers. */
    public Compound copy(Stateid src, Stateid dst, long srcOffset, long dstOffset, long count, boolean sync) {
        XdrOut o = op(Op.COPY);
        src.encode(o);
        dst.encode(o);
        o.int64(srcOffset).int64(dstOffset).int64(count).bool(true).bool(sync).int32(0);
        return this;
    }

    /** CLONE (RFC 7862 section 15.13): saved filehandle's range to the current filehandle's. */
    public Compound clone(Stateid src, Stateid dst, long srcOffset, long dstOffset, long count) {
        XdrOut o = op(Op.CLONE);
        src.encode(o);
        dst.encode(o);
        o.int64(srcOffset).int64(dstOffset).int64(count);
        return this;
    }

    /** OFFLOAD_STATUS or OFFLOAD_CANCEL (RFC 7862 sections 15.9, 15.8) of a copy's stateid. */
    public Compound offload(int opcode, Stateid copy) {
        copy.encode(op(opcode));
        return this;
    }

    public Compound getxattr(String name) {
        op(Op.GETXATTR).string(name);
        return this;
    }

    /** SETXATTR with setxattr_option4 0 (either), 1 (create) or 2 (replace). */
    public Compound setxattr(int option, String name, byte[] value) {
        op(Op.SETXATTR).int32(option).string(name).opaque(value);
        return this;
    }

    public Compound listxattrs(long cookie, int maxCount) {
        op(Op.LISTXATTRS).int64(cookie).int32(maxCount);
        return this;
    }

    public Compound removexattr(String name) {
        op(Op.REMOVEXATTR).string(name);
        return this;
    }

    public Compound seek(Stateid stateid, long offset, int what) {
        XdrOut o = op(Op.SEEK);
        stateid.encode(o);
        o.int64(offset).int32(what);
        return this;
    }

    public Compound commit(long offset, int count) {
        op(Op.COMMIT).int64(offset).int32(count);
        return this;
    }

    public Compound delegreturn(Stateid stateid) {
        stateid.encode(op(Op.DELEGRETURN));
        return this;
    }

    public Compound testStateid(Stateid... ids) {
        XdrOut o = op(Op.TEST_STATEID).int32(ids.length);
        for (Stateid id : ids) {
            id.encode(o);
        }
        return this;
    }

    public Compound freeStateid(Stateid id) {
        id.encode(op(Op.FREE_STATEID));
        return this;
    }

    // ----- namespace -----

    public Compound mkdir(String name, Attrs attrs) {
        op(Op.CREATE).int32(Op.NF4DIR).string(name);
        attrs.encode(ops);
        return this;
    }

    public Compound symlink(String name, String target, Attrs attrs) {
        op(Op.CREATE).int32(Op.NF4LNK).string(target).string(name);
        attrs.encode(ops);
        return this;
    }

    /** CREATE of a fifo, socket or (with major/minor) a device. */
    public Compound mknod(int type, String name, int major, int minor, Attrs attrs) {
        XdrOut o = op(Op.CREATE).int32(type);
        if (type == Op.NF4BLK || type == Op.NF4CHR) {
            o.int32(major).int32(minor);
        }
        o.string(name);
        attrs.encode(o);
        return this;
    }

    public Compound readlink() {
        op(Op.READLINK);
        return this;
    }

    public Compound remove(String name) {
        op(Op.REMOVE).string(name);
        return this;
    }

    public Compound rename(String from, String to) {
        op(Op.RENAME).string(from).string(to);
        return this;
    }

    public Compound link(String name) {
        op(Op.LINK).string(name);
        return this;
    }

    public Compound readdir(long cookie, byte[] verifier, int dircount, int maxcount, int... bits) {
        op(Op.READDIR).int64(cookie).fixed(verifier).int32(dircount).int32(maxcount).bitmap(Fattr.bitmap(bits));
        return this;
    }

    // ----- locks -----

    /** LOCK with open_to_lock_owner4 (a new lock-owner). */
    public Compound lockNew(int type, long offset, long length, Stateid openStateid, long clientId, byte[] lockOwner) {
        XdrOut o = op(Op.LOCK).int32(type).bool(false).int64(offset).int64(length).bool(true).int32(0);
        openStateid.encode(o);
        o.int32(0).int64(clientId).opaque(lockOwner);
        return this;
    }

    /** LOCK with exist_lock_owner4. */
    public Compound lockExisting(int type, long offset, long length, Stateid lockStateid) {
        XdrOut o = op(Op.LOCK).int32(type).bool(false).int64(offset).int64(length).bool(false);
        lockStateid.encode(o);
        o.int32(0);
        return this;
    }

    public Compound lockt(int type, long offset, long length, long clientId, byte[] lockOwner) {
        op(Op.LOCKT).int32(type).int64(offset).int64(length).int64(clientId).opaque(lockOwner);
        return this;
    }

    public Compound locku(int type, Stateid lockStateid, long offset, long length) {
        XdrOut o = op(Op.LOCKU).int32(type).int32(0);
        lockStateid.encode(o);
        o.int64(offset).int64(length);
        return this;
    }
}
