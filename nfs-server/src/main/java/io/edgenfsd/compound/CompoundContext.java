package io.edgenfsd.compound;

import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.status.NfsException;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportOptions;
import io.edgenfsd.export.SquashedCredentials;
import io.edgenfsd.rpc.Credentials;
import io.edgenfsd.rpc.RpcConnection;
import io.edgenfsd.rpc.RpcReply;
import io.edgenfsd.state.ClientRecord;
import io.edgenfsd.state.Session;
import io.edgenfsd.state.StateId;
import io.edgenfsd.vfs.Inode;

import java.net.InetAddress;

/**
 * Per-COMPOUND state (RFC 8881 section 16.2.3): current and saved filehandle and stateid, the session
 * from SEQUENCE, and the caller's identity as squashed for the export being worked on.
 */
public final class CompoundContext {
    private final ServerContext server;
    private final RpcConnection connection;
    private final Credentials credentials;
    private final RpcReply reply;
    private Session session;
    private Inode current;
    private Inode saved;
    private Inode lookedUp;
    private StateId currentStateId;
    private StateId savedStateId;
    private Export appliedExport;
    private boolean identityApplied;
    boolean cacheThis;
    io.edgenfsd.state.Slot slot;
    byte[] replay;
    int opIndex;
    int opCount;
    int minorVersion = 1;
    boolean onEventLoop;

    /**
     * Thrown by {@link #mayWait} on the event loop: the operation, which has had no effect yet, and the rest
     * of the COMPOUND move to a worker. Never reaches the client.
     */
    static final class MustWait extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final MustWait INSTANCE = new MustWait();

        private MustWait() {
            super("must wait: continue on a worker", null, false, false);
        }
    }

    public CompoundContext(ServerContext server, RpcConnection connection, Credentials credentials, RpcReply reply) {
        this.server = server;
        this.connection = connection;
        this.credentials = credentials;
        this.reply = reply;
    }

    public ServerContext server() {
        return server;
    }

    public RpcConnection connection() {
        return connection;
    }

    public Credentials credentials() {
        return credentials;
    }

    public RpcReply reply() {
        return reply;
    }

    public InetAddress clientAddress() {
        return connection.remoteAddress().getAddress();
    }

    /** Whether this operation runs on the transport's event loop (and so must not wait). */
    public boolean onEventLoop() {
        return onEventLoop;
    }

    /**
     * Called by an operation before a step that may wait on the disk, the network or a lock held across
     * I/O, and before it has changed anything: on the event loop, the operation is abandoned and runs again,
     * with the rest of the COMPOUND, on a worker; on a worker it returns at once.
     */
    public void mayWait() {
        if (onEventLoop) {
            throw MustWait.INSTANCE;
        }
    }

    public boolean isLastOp() {
        return opIndex == opCount - 1;
    }

    public boolean isFirstOp() {
        return opIndex == 0;
    }

    /** The COMPOUND's minor version: 1 or 2 (RFC 7862). */
    public int minorVersion() {
        return minorVersion;
    }

    public int opCount() {
        return opCount;
    }

    // ----- session -----

    public void setSession(Session s) {
        this.session = s;
    }

    public Session session() {
        return session;
    }

    public ClientRecord client() throws NfsException {
        if (session == null) {
            throw new NfsException(NfsStatus.OP_NOT_IN_SESSION);
        }
        return session.client();
    }

    public void setSlot(io.edgenfsd.state.Slot s) {
        slot = s;
    }

    public void setCacheThis(boolean b) {
        cacheThis = b;
    }

    public void setReplay(byte[] cachedReply) {
        replay = cachedReply;
    }

    // ----- filehandles -----

    public Inode current() throws NfsException {
        if (current == null) {
            throw new NfsException(NfsStatus.NOFILEHANDLE);
        }
        return current;
    }

    public Inode saved() throws NfsException {
        if (saved == null) {
            throw new NfsException(NfsStatus.NOFILEHANDLE, "no saved filehandle");
        }
        return saved;
    }

    public void setCurrent(Inode i) {
        current = i;
        currentStateId = null;
    }

    /** Set by LOOKUP: the current object was just looked up and its attributes read (see {@link #lookedUp}). */
    public void setLookedUp(Inode i) {
        lookedUp = i;
    }

    /**
     * The object LOOKUP found, if it is still the current one and only GETFH/GETATTR ran since: its
     * attributes from the lookup are then as current as a new stat would be (microseconds apart, nothing
     * done in between by this COMPOUND). Cleared by the processor after any other operation.
     */
    public Inode lookedUp() {
        return lookedUp == current ? lookedUp : null;
    }

    void operationDone(int opcode) {
        if (opcode != OperationTable.LOOKUP && opcode != OperationTable.GETFH && opcode != OperationTable.GETATTR) {
            lookedUp = null;
        }
    }

    public void clearCurrent() {
        current = null;
    }

    public void save() throws NfsException {
        saved = current();
        savedStateId = currentStateId;
    }

    public void restore() throws NfsException {
        if (saved == null) {
            throw new NfsException(NfsStatus.RESTOREFH);
        }
        current = saved;
        currentStateId = savedStateId;
    }

    public void setCurrentStateId(StateId id) {
        currentStateId = id;
    }

    /** Replaces the special "current stateid" (section 16.2.3.1.2) by the one the compound established. */
    public StateId resolveStateId(StateId id) throws NfsException {
        if (id.isCurrent()) {
            if (currentStateId == null) {
                throw new NfsException(NfsStatus.BAD_STATEID, "no current stateid");
            }
            return currentStateId;
        }
        return id;
    }

    // ----- export access and identity -----

    /**
     * Checks that the client may use the export holding {@code i} and applies the caller's squashed
     * identity to this thread. Pseudo nodes need no identity: they are read-only and synthetic.
     */
    public ExportOptions enter(Inode i) throws NfsException {
        if (i.isPseudo()) {
            asServer();
            return null;
        }
        Export e = i.export();
        if (e.needsNameLookup()) {
            mayWait(); // the client's host name may be looked up (DNS)
        }
        ExportOptions opts = e.optionsFor(clientAddress())
                .orElseThrow(() -> new NfsException(NfsStatus.ACCESS, "client not allowed by any rule of " + e.path()));
        if (opts.secure() && connection.remoteAddress().getPort() >= 1024) {
            throw new NfsException(NfsStatus.PERM, "export " + e.path() + " is 'secure' and the client port is "
                    + connection.remoteAddress().getPort() + " (use 'insecure')");
        }
        if (appliedExport != e || !identityApplied) {
            SquashedCredentials sc = opts.squash(credentials.uid(), credentials.gid(), credentials.gids());
            if (sc.uid() == 0 && sc.gid() == 0) {
                // unsquashed root: the server's own identity checks and creates exactly the same
                asServer();
                return opts;
            }
            server.identity().become(sc.uid(), sc.gid(), sc.gids());
            appliedExport = e;
            identityApplied = true;
        }
        return opts;
    }

    /** Like {@link #enter} and refuses with NFS4ERR_ROFS on a read-only export. */
    public ExportOptions enterForWrite(Inode i) throws NfsException {
        if (i.isPseudo()) {
            throw new NfsException(NfsStatus.ROFS, "the pseudo filesystem is read-only");
        }
        ExportOptions o = enter(i);
        if (o.readOnly()) {
            throw new NfsException(NfsStatus.ROFS, i.export().path() + " is exported read-only");
        }
        return o;
    }

    /** Back to the server's own identity (needed e.g. by open_by_handle_at). */
    public void asServer() {
        if (identityApplied) {
            server.identity().reset();
            identityApplied = false;
        }
    }

    /** The identity the kernel sees for the current export, for our own access computations. */
    public SquashedCredentials effectiveCredentials(Inode i) throws NfsException {
        if (i.isPseudo()) {
            return new SquashedCredentials(credentials.uid(), credentials.gid(), credentials.gids());
        }
        ExportOptions opts = i.export().optionsFor(clientAddress())
                .orElseThrow(() -> new NfsException(NfsStatus.ACCESS));
        return opts.squash(credentials.uid(), credentials.gid(), credentials.gids());
    }
}
