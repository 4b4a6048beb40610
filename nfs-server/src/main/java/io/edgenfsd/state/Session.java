package io.edgenfsd.state;

import io.edgenfsd.rpc.RpcConnection;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An NFSv4.1 session (RFC 8881 section 2.10): fore-channel slots plus an optional back channel. */
public final class Session {
    private final byte[] id;
    private final ClientRecord client;
    private final Slot[] slots;
    /** Who made the last call on each slot: only that principal gets its cached reply (see enterSlot). */
    private final Principal[] slotPrincipals;
    private final ChannelAttrs fore;
    private final ChannelAttrs back;
    private volatile int callbackProgram;
    private volatile CallbackSecurity callbackSecurity;
    private final Set<RpcConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile RpcConnection backChannel;
    private int callbackSequence;
    private volatile boolean destroyed;
    private final ReplyCacheBudget.Grant replyCacheGrant;
    /** The minor version of the COMPOUND that created the session; its CB_COMPOUNDs carry it. */
    private volatile int minorVersion = 1;

    Session(byte[] id, ClientRecord client, ChannelAttrs fore, ChannelAttrs back, int callbackProgram,
            CallbackSecurity callbackSecurity, ReplyCacheBudget.Grant replyCacheGrant) {
        this.id = id;
        this.replyCacheGrant = replyCacheGrant;
        this.client = client;
        this.fore = fore;
        this.back = back;
        this.callbackProgram = callbackProgram;
        this.callbackSecurity = callbackSecurity;
        this.slots = new Slot[fore.maxRequests()];
        this.slotPrincipals = new Principal[slots.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
    }

    public int minorVersion() {
        return minorVersion;
    }

    public void minorVersion(int minor) {
        this.minorVersion = minor;
    }

    public byte[] id() {
        return Arrays.copyOf(id, id.length);
    }

    ReplyCacheBudget.Grant replyCacheGrant() {
        return replyCacheGrant;
    }

    public ClientRecord client() {
        return client;
    }

    public ChannelAttrs fore() {
        return fore;
    }

    public ChannelAttrs back() {
        return back;
    }

    public int slotCount() {
        return slots.length;
    }

    public Slot slot(int i) {
        return slots[i];
    }

    Principal slotPrincipal(int i) {
        synchronized (slotPrincipals) {
            return slotPrincipals[i];
        }
    }

    void slotPrincipal(int i, Principal p) {
        synchronized (slotPrincipals) {
            slotPrincipals[i] = p;
        }
    }

    public int callbackProgram() {
        return callbackProgram;
    }

    public CallbackSecurity callbackSecurity() {
        return callbackSecurity;
    }

    /** BACKCHANNEL_CTL (RFC 8881 section 18.33): a new callback program and security for later callbacks. */
    public void changeCallback(int program, CallbackSecurity security) {
        callbackProgram = program;
        callbackSecurity = security;
    }

    /**
     * Binds a connection to the session. Connections that have closed are dropped here, so the set holds
     * only the client's live connections, not every connection it ever used.
     */
    public void bindFore(RpcConnection c) {
        if (connections.add(c)) {
            connections.removeIf(x -> x != c && !x.isOpen());
        }
    }

    /** The connections bound to this session (live ones, and any closed since the last bind). */
    public int boundConnections() {
        return connections.size();
    }

    /** The connections bound to this session (for {@link StateView}). */
    Set<RpcConnection> connections() {
        return java.util.Collections.unmodifiableSet(connections);
    }

    public boolean isBound(RpcConnection c) {
        return connections.contains(c);
    }

    public void bindBack(RpcConnection c) {
        bindFore(c);
        backChannel = c;
    }

    /** The connection our callbacks use, or null when the client has none open (SEQ4_STATUS_CB_PATH_DOWN). */
    public RpcConnection backChannel() {
        RpcConnection c = backChannel;
        return c != null && c.isOpen() ? c : null;
    }

    public synchronized int nextCallbackSequence() {
        return ++callbackSequence;
    }

    public boolean destroyed() {
        return destroyed;
    }

    void destroy() {
        destroyed = true;
    }

    public String idHex() {
        StringBuilder sb = new StringBuilder();
        for (byte b : id) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    public boolean hasId(byte[] other) {
        return Arrays.equals(id, other);
    }
}
