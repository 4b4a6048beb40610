package io.edgenfsd.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The READ and WRITE data paths in isolation, moving real bytes: READ from a cached file to a loopback
 * TCP socket (a thread on the other end drains it) as (a) heap copy: FileChannel.read into a byte[] then
 * a socket write (the JDK copies the heap array into a temporary direct buffer), (b) pooled direct: a
 * pooled direct ByteBuf filled from the file and written to the socket, (c) FileRegion: sendfile, what
 * edge-nfsd does when READ is the last operation. WRITE from a pooled direct transport buffer to a file
 * as (d) heap copy: into a byte[] first, as a server that decodes opaques into arrays would, (e) direct:
 * the buffer's nioBuffers straight to FileChannel.write, what edge-nfsd does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "--add-opens=java.base/java.io=ALL-UNNAMED"})
public class IoPathBench {
    @Param({"1048576"})
    public int size;

    private Path dir;
    private FileChannel file;
    private FileChannel wfile;
    private SocketChannel sink;
    private ServerSocketChannel listener;
    private Thread drain;
    private byte[] heap;
    private ByteBuf transport;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "edge-jmh-io-");
        Path f = dir.resolve("data");
        byte[] data = new byte[size];
        new java.util.Random(2).nextBytes(data);
        Files.write(f, data);
        file = FileChannel.open(f, StandardOpenOption.READ);
        wfile = FileChannel.open(dir.resolve("w"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        sink = SocketChannel.open(listener.getLocalAddress());
        SocketChannel peer = listener.accept();
        drain = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            try {
                while (peer.read(b) >= 0) {
                    b.clear();
                }
            } catch (IOException ignored) {
                // closed at teardown
            }
        }, "drain");
        drain.setDaemon(true);
        drain.start();
        heap = new byte[size];
        transport = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        transport.writeBytes(data);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sink.close();
        listener.close();
        file.close();
        wfile.close();
        transport.release();
        for (String n : new String[] {"data", "w"}) {
            Files.deleteIfExists(dir.resolve(n));
        }
        Files.deleteIfExists(dir);
    }

    private void send(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            sink.write(b);
        }
    }

    @Benchmark
    public int readHeapCopy() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(heap);
        file.read(b, 0);
        b.flip();
        send(b);
        return b.limit();
    }

    @Benchmark
    public int readPooledDirect() throws IOException {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(size);
        try {
            int got = 0;
            while (got < size) {
                got += buf.writeBytes(file, got, size - got);
            }
            send(buf.nioBuffer());
            return got;
        } finally {
            buf.release();
        }
    }

    @Benchmark
    public long readFileRegion() throws IOException {
        DefaultFileRegion region = new DefaultFileRegion(file, 0, size);
        region.retain(); // the file channel belongs to the benchmark, not the region
        try {
            while (region.transferred() < size) {
                region.transferTo(sink, region.transferred());
            }
            return region.transferred();
        } finally {
            region.release();
        }
    }

    @Benchmark
    public int writeHeapCopy() throws IOException {
        transport.getBytes(transport.readerIndex(), heap);
        ByteBuffer b = ByteBuffer.wrap(heap);
        int n = 0;
        while (b.hasRemaining()) {
            n += wfile.write(b, n);
        }
        return n;
    }

    @Benchmark
    public int writeDirect() throws IOException {
        long pos = 0;
        for (ByteBuffer b : transport.nioBuffers()) {
            while (b.hasRemaining()) {
                pos += wfile.write(b, pos);
            }
        }
        return (int) pos;
    }
}
