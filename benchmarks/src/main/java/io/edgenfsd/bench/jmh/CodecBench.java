package io.edgenfsd.bench.jmh;

import io.edgenfsd.bench.wire.Compound;
import io.edgenfsd.state.StateId;
import io.edgenfsd.vfs.Stat;
import io.edgenfsd.xdr.Attributes;
import io.edgenfsd.xdr.XdrDecoder;
import io.edgenfsd.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The XDR codecs alone, with the server's own classes: decoding the arguments of READ, WRITE, GETATTR and
 * READDIR exactly as the operations read them (COMPOUND header, SEQUENCE, PUTFH, the op), and encoding
 * fattr4 with {@link Attributes#encode} for the Linux client's GETATTR mask and for a READDIR entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "--add-opens=java.base/java.io=ALL-UNNAMED"})
public class CodecBench {
    private ByteBuf readArgs, writeArgs, getattrArgs, readdirArgs, out;
    private Attributes.AttrSource source;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        byte[] session = new byte[16];
        byte[] fh = new byte[40];
        Compound.StateIdBytes sid = new Compound.StateIdBytes(1, new byte[12]);
        readArgs = args(new Compound(1).sequence(session, 1, 0, 7).putfh(fh).read(sid, 0, 1 << 20));
        writeArgs = args(new Compound(1).sequence(session, 1, 0, 7).putfh(fh)
                .write(sid, 0, Compound.UNSTABLE, new byte[1 << 20], 0, 1 << 20));
        getattrArgs = args(new Compound(1).sequence(session, 1, 0, 7).putfh(fh).getattr(CompoundBench.GETATTR));
        readdirArgs = args(new Compound(1).sequence(session, 1, 0, 7).putfh(fh)
                .readdir(0, new byte[8], 8192, 32768, CompoundBench.READDIR));
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "edge-jmh-attr"); // an export is a directory
        io.edgenfsd.vfs.LocalFs fs = new io.edgenfsd.vfs.LocalFs(io.edgenfsd.export.ExportTable.fromLines(
                java.util.List.of(tmp + " *(rw)"), "bench"), new io.edgenfsd.vfs.InMemoryHandleStore(),
                io.edgenfsd.vfs.ThreadIdentity.NONE);
        Stat st = fs.stat(fs.exportRoot(fs.exports().exports().get(0)));
        Files.delete(tmp);
        source = new Attributes.AttrSource() {
            public Stat stat() {
                return st;
            }

            public byte[] fileHandle() {
                return fh;
            }

            public long fsidMajor() {
                return 1;
            }

            public long fsidMinor() {
                return 0;
            }

            public long mountedOnFileId() {
                return st.ino();
            }

            public int leaseSeconds() {
                return 90;
            }

            public long maxRead() {
                return 1 << 20;
            }

            public long maxWrite() {
                return 1 << 20;
            }

            public boolean persistentHandles() {
                return true;
            }

            public String owner(int uid) {
                return "0";
            }

            public String group(int gid) {
                return "0";
            }

            public long[] fsUsage() {
                return new long[6];
            }
        };
    }

    /** The RPC body after the call header: what CompoundProcessor receives. */
    private static ByteBuf args(Compound c) {
        byte[] b = c.bytes();
        // record mark + xid..proc (6 ints) + AUTH_SYS cred + null verifier
        ByteBuf buf = Unpooled.directBuffer(b.length);
        buf.writeBytes(b);
        XdrDecoder d = new XdrDecoder(buf);
        d.skip(4 + 24);
        d.readInt();
        d.readOpaque(400);
        d.readInt();
        d.readOpaque(400);
        buf.discardReadBytes();
        return buf;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        readArgs.release();
        writeArgs.release();
        getattrArgs.release();
        readdirArgs.release();
        out.release();
    }

    private static XdrDecoder header(ByteBuf args) {
        XdrDecoder in = new XdrDecoder(args.duplicate());
        in.readOpaque(1024);
        in.readInt();
        in.readLength(Integer.MAX_VALUE);
        in.readInt(); // SEQUENCE
        in.readFixedOpaque(16);
        in.readInt();
        in.readInt();
        in.readInt();
        in.readBool();
        in.readInt(); // PUTFH
        in.readOpaque(128);
        in.readInt();
        return in;
    }

    @Benchmark
    public void decodeRead(Blackhole bh) {
        XdrDecoder in = header(readArgs);
        bh.consume(StateId.decode(in));
        bh.consume(in.readLong());
        bh.consume(in.readUInt());
    }

    @Benchmark
    public void decodeWrite(Blackhole bh) {
        XdrDecoder in = header(writeArgs);
        bh.consume(StateId.decode(in));
        bh.consume(in.readLong());
        bh.consume(in.readInt());
        bh.consume(in.readOpaqueSlice(1 << 20));
    }

    @Benchmark
    public void decodeGetattr(Blackhole bh) {
        XdrDecoder in = header(getattrArgs);
        bh.consume(in.readBitmap());
    }

    @Benchmark
    public void decodeReaddir(Blackhole bh) {
        XdrDecoder in = header(readdirArgs);
        bh.consume(in.readLong());
        bh.consume(in.readFixedOpaque(8));
        bh.consume(in.readUInt());
        bh.consume(in.readUInt());
        bh.consume(in.readBitmap());
    }

    /** fattr4 for the Linux client's GETATTR mask. */
    @Benchmark
    public int encodeGetattrFattr4() throws io.edgenfsd.status.NfsException {
        out.clear();
        Attributes.encode(new XdrEncoder(out), CompoundBench.GETATTR, source, -1);
        return out.writerIndex();
    }

    /** fattr4 of one READDIR entry (adds rdattr_error and the filehandle). */
    @Benchmark
    public int encodeReaddirEntryFattr4() throws io.edgenfsd.status.NfsException {
        out.clear();
        Attributes.encode(new XdrEncoder(out), CompoundBench.READDIR, source, 0);
        return out.writerIndex();
    }
}
