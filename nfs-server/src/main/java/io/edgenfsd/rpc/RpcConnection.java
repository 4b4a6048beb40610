package io.edgenfsd.rpc;

import io.edgenfsd.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One client TCP connection. Besides carrying the client's calls, it carries our back-channel calls
 * (RFC 8881 section 2.10.3.1); their replies arrive on the same connection and are matched by xid.
 */
public final class RpcConnection {
    private final Channel channel;
    private final Map<Integer, CompletableFuture<ByteBuf>> pendingCallbacks = new ConcurrentHashMap<>();
    private final AtomicInteger nextXid = new AtomicInteger(ThreadLocalRandom.current().nextInt());

    // ----- flow control: why this connection is not being read (event loop only, read anywhere) -----
    static final int UNWRITABLE = 1;
    static final int CONNECTION_FULL = 2;
    static final int BUDGET = 4;
    static final int TOO_MANY_CALLS = 8;
    /** Beyond this many calls in flight (read, and reply not yet taken by the socket) we stop reading. */
    static final int MAX_CALLS = 128;

    private final InflightBudget budget;
    private final long maxHeld;
    /** Bytes this connection holds in the budget (requests being served, replies not yet written). */
    private final AtomicLong held = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int blocked;
    private Runnable onResume = () -> { };
    /** Nanotime of the last byte read or reply written. */
    private volatile long lastActivity = System.nanoTime();
    /** Nanotime a record now under way began (or reading resumed under it); 0 when none is. */
    private long partialSince;
    private volatile BooleanSupplier keepOpen = () -> false;
    private volatile Object keepOpenFor;
    private Runnable parked;
    private Runnable parkedCancel;
    private long parkedNeed;
    private long parkedOwn;

    /** A connection outside any budget (codec tests, in-process benchmarks). */
    public RpcConnection(Channel channel) {
        this(channel, new InflightBudget(Long.MAX_VALUE), Long.MAX_VALUE);
    }

    /** A connection holding at most {@code maxHeld} bytes of {@code budget} (more only when alone). */
    public RpcConnection(Channel channel, InflightBudget budget, long maxHeld) {
        this.channel = channel;
        this.budget = budget;
        this.maxHeld = maxHeld;
    }

    public Channel channel() {
        return channel;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Sends a call to the client on this connection. The future completes with the reply's results
     * (after the accepted-SUCCESS header, caller releases) or exceptionally on error, close or timeout.
     */
    public CompletableFuture<ByteBuf> call(int program, int version, int procedure, Consumer<XdrEncoder> credential,
                                           Consumer<XdrEncoder> args, long timeoutMillis) {
        int xid = nextXid.incrementAndGet();
        CompletableFuture<ByteBuf> future = new CompletableFuture<>();
        pendingCallbacks.put(xid, future);
        ByteBuf buf = channel.alloc().buffer(256);
        XdrEncoder enc = new XdrEncoder(buf);
        enc.writeInt(0).writeInt(xid).writeInt(RpcConstants.CALL).writeInt(RpcConstants.RPC_VERSION)
                .writeInt(program).writeInt(version).writeInt(procedure);
        credential.accept(enc);
        enc.writeInt(0).writeInt(0);
        args.accept(enc);
        buf.setInt(0, RpcConstants.LAST_FRAGMENT | (buf.readableBytes() - 4));
        channel.writeAndFlush(buf).addListener(f -> {
            if (!f.isSuccess()) {
                fail(xid, f.cause());
            }
        });
        channel.eventLoop().schedule(() -> fail(xid, new java.util.concurrent.TimeoutException(
                "no reply to callback xid " + xid)), timeoutMillis, TimeUnit.MILLISECONDS);
        return future;
    }

    private void fail(int xid, Throwable cause) {
        failCallback(xid, cause);
    }

    /** An unsuccessful reply (or none) to our call {@code xid}; false when we made no such call. */
    boolean failCallback(int xid, Throwable cause) {
        CompletableFuture<ByteBuf> f = pendingCallbacks.remove(xid);
        if (f == null) {
            return false;
        }
        f.completeExceptionally(cause);
        return true;
    }

    /** A REPLY message arrived: hand it to whoever made the call. Returns false for an unknown xid. */
    boolean completeCallback(int xid, ByteBuf results) {
        CompletableFuture<ByteBuf> f = pendingCallbacks.remove(xid);
        if (f == null) {
            return false;
        }
        if (!f.complete(results)) {
            results.release();
        }
        return true;
    }

    // ----- flow control -----

    /** Whether reading is stopped (for whatever reason). */
    boolean readingBlocked() {
        return blocked != 0;
    }

    int calls() {
        return calls.get();
    }

    long held() {
        return held.get();
    }

    /** What runs when reading may go on: the record decoder frames what it already holds. */
    void onResume(Runnable r) {
        onResume = r;
    }

    /**
     * Reserves {@code n} bytes for this connection (of which {@code own} are already held by the very call
     * asking, so it is not counted against itself). False, and reading stops, when they do not fit now.
     */
    boolean reserve(long n, long own) {
        long h = held.get();
        if (h > own && h + n > maxHeld) {
            block(CONNECTION_FULL);
            return false;
        }
        if (!budget.tryAcquire(n, h, this)) {
            block(BUDGET);
            return false;
        }
        held.addAndGet(n);
        return true;
    }

    /** Counts bytes that already exist (a built reply, the rest of a record under way). */
    void forceReserve(long n) {
        if (n > 0) {
            budget.forceAcquire(n);
            held.addAndGet(n);
        }
    }

    /** Gives bytes back; any thread. */
    void release(long n) {
        if (n <= 0) {
            return;
        }
        held.addAndGet(-n);
        budget.release(n);
        if ((blocked & (CONNECTION_FULL | BUDGET)) != 0) {
            retrySoon();
        }
    }

    /** The budget has room again: try once more on the event loop. */
    void budgetReleased() {
        retrySoon();
    }

    private void retrySoon() {
        if (channel.isRegistered()) {
            channel.eventLoop().execute(this::retry);
        }
    }

    /** A call that could not get its reply's bytes waits here, with reading stopped, until they fit. */
    void park(long need, long own, Runnable dispatch, Runnable cancel) {
        parked = dispatch;
        parkedCancel = cancel;
        parkedNeed = need;
        parkedOwn = own;
    }

    private void retry() {
        if (!channel.isActive()) {
            return;
        }
        if (parked != null) {
            if (!reserve(parkedNeed, parkedOwn)) {
                return;
            }
            Runnable r = parked;
            parked = null;
            parkedCancel = null;
            r.run();
        }
        unblock(CONNECTION_FULL | BUDGET);
    }

    /** One more call read; stops reading beyond {@link #MAX_CALLS}. Event loop. */
    void callStarted() {
        if (calls.incrementAndGet() >= MAX_CALLS) {
            block(TOO_MANY_CALLS);
        }
    }

    /** A call's reply was written (or dropped); any thread. */
    void callDone() {
        if (calls.decrementAndGet() < MAX_CALLS / 2 && (blocked & TOO_MANY_CALLS) != 0 && channel.isRegistered()) {
            channel.eventLoop().execute(() -> {
                if (calls.get() < MAX_CALLS / 2) {
                    unblock(TOO_MANY_CALLS);
                }
            });
        }
    }

    void writabilityChanged(boolean writable) {
        if (writable) {
            unblock(UNWRITABLE);
        } else {
            block(UNWRITABLE);
        }
    }

    private void block(int reason) {
        blocked |= reason;
        channel.config().setAutoRead(false);
    }

    private void unblock(int reasons) {
        if ((blocked & reasons) == 0) {
            return;
        }
        blocked &= ~reasons;
        if (blocked == 0) {
            if (partialSince != 0) {
                partialSince = System.nanoTime(); // the wait was ours, not the client's
            }
            onResume.run();
            if (blocked == 0 && channel.isActive()) {
                channel.config().setAutoRead(true);
            }
        }
    }

    // ----- timeouts (event loop) -----

    /** Bytes arrived or a reply left: the connection is in use. Any thread. */
    void activity() {
        lastActivity = System.nanoTime();
    }

    /** A record's first bytes arrived ({@code true}), or no record is under way any more. */
    void recordUnderWay(boolean underWay) {
        if (!underWay) {
            partialSince = 0;
        } else if (partialSince == 0) {
            partialSince = System.nanoTime();
        }
    }

    /**
     * What keeps an idle connection open: set by the program served on it, e.g. "a session of a client whose
     * lease has not expired uses this connection". Without it an idle connection is closed.
     */
    public void keepOpenWhile(Object owner, BooleanSupplier condition) {
        if (keepOpenFor != owner) {
            keepOpenFor = owner;
            keepOpen = condition;
        }
    }

    /**
     * Closes the connection when a record has been under way for longer than {@code recordNanos}, or when
     * nothing was read or written for {@code idleNanos} and either calls are stuck in it (replies the client
     * does not take) or nothing keeps it open. Returns the reason, or null when it stays open.
     */
    String checkTimeouts(long idleNanos, long recordNanos) {
        long now = System.nanoTime();
        if (partialSince != 0 && blocked == 0 && now - partialSince > recordNanos) {
            return "a record incomplete for more than " + recordNanos / 1_000_000 + " ms";
        }
        if (now - lastActivity > idleNanos) {
            if (calls.get() > 0 || held.get() > 0) {
                return "replies not taken for more than " + idleNanos / 1_000_000 + " ms";
            }
            if (!keepOpen.getAsBoolean()) {
                return "idle for more than " + idleNanos / 1_000_000 + " ms";
            }
        }
        return null;
    }

    void closed() {
        budget.forget(this);
        if (parkedCancel != null) {
            Runnable c = parkedCancel;
            parked = null;
            parkedCancel = null;
            c.run();
        }
        for (Integer xid : pendingCallbacks.keySet()) {
            fail(xid, new java.nio.channels.ClosedChannelException());
        }
    }

    @Override
    public String toString() {
        return String.valueOf(channel.remoteAddress());
    }
}
