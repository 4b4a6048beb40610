package io.edgenfsd.rpc;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** TCP listener for ONC RPC: native epoll where Netty ships it, NIO elsewhere (e.g. armv7). */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);
    /** How long an event loop polls for a worker's reply before sleeping (see LoopSpin); 0 turns it off. */
    static final long LOOP_SPIN_NANOS = Long.getLong("edgenfsd.loopSpinMicros", 0) * 1000;

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ExecutorService workers;
    private Channel serverChannel;
    private InflightBudget budget;

    public RpcServer(ExecutorService workers, int ioThreads) {
        IoHandlerFactory bossFactory = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // the connections' loops poll briefly for a worker's reply before sleeping (LoopSpin)
        SelectStrategyFactory spin = LoopSpin.factory(LOOP_SPIN_NANOS);
        IoHandlerFactory factory = Epoll.isAvailable() ? EpollIoHandler.newFactory(0, spin)
                : NioIoHandler.newFactory(SelectorProvider.provider(), spin);
        this.boss = new MultiThreadIoEventLoopGroup(1, bossFactory);
        this.io = new MultiThreadIoEventLoopGroup(ioThreads, factory);
        this.workers = workers;
    }

    static long perConnection(long maxInflight, int maxRecord) {
        return Math.max(maxInflight / 4, 2L * maxRecord);
    }

    /** The memory budget (its use, for tests and status). */
    public InflightBudget budget() {
        return budget;
    }

    public String transportName() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /**
     * Listens on {@code address}. {@code maxInflight} is the process-wide budget of request and reply bytes
     * in flight; one connection may hold a quarter of it (at least two records), so that a client that stops
     * reading its replies stops being read long before the others have to wait.
     */
    public InetSocketAddress bind(InetSocketAddress address, Map<Integer, RpcProgram> programs, int maxRecord,
                                  long maxInflight, RpcDispatcher.Timeouts timeouts) throws InterruptedException {
        budget = new InflightBudget(maxInflight);
        long perConnection = perConnection(maxInflight, maxRecord);
        // the socket's queue of unwritten replies, sendfile regions counted by their length
        WriteBufferWaterMark marks = new WriteBufferWaterMark((int) Math.min(Integer.MAX_VALUE / 2, perConnection / 4),
                (int) Math.min(Integer.MAX_VALUE, perConnection / 2));
        Class<? extends ServerChannel> channelClass =
                Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, io)
                .channel(channelClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, marks)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, RegionCountingEstimator.INSTANCE)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("record", new RecordMarkingDecoder(maxRecord));
                        ch.pipeline().addLast("rpc", new RpcDispatcher(programs, workers, budget, perConnection,
                                timeouts));
                    }
                });
        serverChannel = b.bind(address).sync().channel();
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting, lets in-flight calls finish, then closes connections. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("calls still running after 10 s at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
