package io.edgenfsd.bench.jmh;

import io.edgenfsd.bench.wire.Compound;
import io.edgenfsd.bench.wire.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One whole COMPOUND through the server's pipeline per invocation: record marking, RPC header, SEQUENCE
 * (slot and reply cache), PUTFH, the operation (decode, vfs work, encode), reply assembly. No socket:
 * the reply buffers (and a READ's FileRegion) are released unsent. Files live on the disk under
 * {@code /var/tmp} (page cache warm), as an export would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "--add-opens=java.base/java.io=ALL-UNNAMED"})
public class CompoundBench {
    /** The Linux client's usual GETATTR mask (type, change, size, fsid, fileid, mode, nlink, owner, group,
     *  rawdev, space_used, times, mounted_on_fileid). */
    static final int[] GETATTR = {(1 << 1) | (1 << 3) | (1 << 4) | (1 << 8) | (1 << 20),
            (1 << (33 - 32)) | (1 << (35 - 32)) | (1 << (36 - 32)) | (1 << (37 - 32)) | (1 << (41 - 32))
                    | (1 << (45 - 32)) | (1 << (47 - 32)) | (1 << (52 - 32)) | (1 << (53 - 32)) | (1 << (55 - 32))};
    /** READDIR as `ls -l` asks: the GETATTR mask plus rdattr_error and filehandle. */
    static final int[] READDIR = {GETATTR[0] | (1 << 11) | (1 << 19), GETATTR[1]};

    @Param({"4096", "1048576"})
    public int size;

    /** "on": every operation is recorded in Prometheus metrics as with --metrics (A/B: -p metrics=off,on). */
    @Param({"off"})
    public String metrics;

    private InProcessServer server;
    private Path dir;
    private byte[] sessionId;
    private int seq = 1;
    private ByteBuf getattr, readdir, readLast, readNotLast, write;
    private int getattrSeq, readdirSeq, readLastSeq, readNotLastSeq, writeSeq;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "edge-jmh-");
        server = new InProcessServer(dir, metrics.equals("on") ? new io.edgenfsd.metrics.ServerMetrics(
                op -> io.edgenfsd.compound.OperationTable.inRange(op) ? io.edgenfsd.compound.OperationTable.name(op)
                        : null, io.edgenfsd.compound.OperationTable.READ, io.edgenfsd.compound.OperationTable.WRITE)
                : io.edgenfsd.metrics.OpRecorder.NONE);
        byte[] data = new byte[1 << 20];
        new java.util.Random(1).nextBytes(data);
        Files.write(dir.resolve("data"), data);
        Files.createDirectories(dir.resolve("dir"));
        for (int i = 0; i < 100; i++) {
            Files.writeString(dir.resolve("dir").resolve("entry-" + i), "x");
        }
        Object[] s = server.session();
        long clientId = (Long) s[0];
        sessionId = (byte[]) s[1];
        Reply r = server.call(seqd(c -> c.reclaimComplete()));
        r.sequence().op(Compound.OP_RECLAIM_COMPLETE);
        // file handles: walk from the pseudo root to the export, then to the files
        byte[] exportFh = lookup(dir.toString());
        byte[] dirFh = lookup(dir.resolve("dir").toString());
        byte[] owner = "jmh".getBytes(StandardCharsets.UTF_8);
        r = server.call(seqd(c -> c.putfh(exportFh).open(clientId, owner, "data", false).getfh()));
        r.sequence().op(Compound.OP_PUTFH);
        Compound.StateIdBytes sid = r.open();
        byte[] fileFh = r.getfh();
        byte[] payload = new byte[size];
        getattr = template(c -> c.putfh(fileFh).getattr(GETATTR));
        getattrSeq = lastSeqPos;
        readdir = template(c -> c.putfh(dirFh).readdir(0, new byte[8], 8192, 32768, READDIR));
        readdirSeq = lastSeqPos;
        readLast = template(c -> c.putfh(fileFh).read(sid, 0, size));
        readLastSeq = lastSeqPos;
        // READ followed by another op: the server copies into a pooled direct buffer instead of sendfile
        readNotLast = template(c -> c.putfh(fileFh).read(sid, 0, size).getfh());
        readNotLastSeq = lastSeqPos;
        write = template(c -> c.putfh(fileFh).write(sid, 0, Compound.UNSTABLE, payload, 0, payload.length));
        writeSeq = lastSeqPos;
        // each request must succeed once before it is timed
        for (ByteBuf[] t : new ByteBuf[][] {{getattr}, {readdir}, {readLast}, {readNotLast}, {write}}) {
            int pos = t[0] == getattr ? getattrSeq : t[0] == readdir ? readdirSeq : t[0] == readLast ? readLastSeq
                    : t[0] == readNotLast ? readNotLastSeq : writeSeq;
            ByteBuf req = next(t[0], pos);
            byte[] b = new byte[req.readableBytes()];
            req.readBytes(b);
            req.release();
            Reply check = server.call(b);
            if (check.status != 0) {
                throw new IllegalStateException("benchmark request failed with NFS status " + check.status);
            }
        }
    }

    private byte[] lookup(String path) {
        Reply r = server.call(seqd(c -> {
            c.putrootfh();
            for (String p : path.substring(1).split("/")) {
                c.lookup(p);
            }
            c.getfh();
        }));
        r.sequence().op(Compound.OP_PUTROOTFH);
        for (String ignored : path.substring(1).split("/")) {
            r.op(Compound.OP_LOOKUP);
        }
        return r.getfh();
    }

    private int lastSeqPos;

    private byte[] seqd(Consumer<Compound> body) {
        Compound c = new Compound(server.nextXid());
        lastSeqPos = c.mark() + 4 + 16;
        c.sequence(sessionId, seq++, 0, 7);
        body.accept(c);
        return c.bytes();
    }

    private ByteBuf template(Consumer<Compound> body) {
        byte[] b = seqd(body);
        seq--; // templates are not sent; their sequence id is patched at each invocation
        ByteBuf buf = Unpooled.directBuffer(b.length);
        buf.writeBytes(b);
        return buf;
    }

    private ByteBuf next(ByteBuf template, int seqPos) {
        ByteBuf req = template.retainedDuplicate();
        req.setInt(seqPos, seq++);
        return req;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        server.close();
        for (ByteBuf b : new ByteBuf[] {getattr, readdir, readLast, readNotLast, write}) {
            b.release();
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** SEQUENCE, PUTFH, GETATTR of a file (size-independent; run at both sizes only by JMH's matrix). */
    @Benchmark
    public int getattr() {
        return server.callAndDiscard(next(getattr, getattrSeq));
    }

    /** SEQUENCE, PUTFH, READDIR of a 100-entry directory with the attributes `ls -l` asks for. */
    @Benchmark
    public int readdir() {
        return server.callAndDiscard(next(readdir, readdirSeq));
    }

    /** SEQUENCE, PUTFH, READ as the last op: the server's zero-copy path (FileRegion) at >= 16 KiB. */
    @Benchmark
    public int readLastOp() {
        return server.callAndDiscard(next(readLast, readLastSeq));
    }

    /** SEQUENCE, PUTFH, READ, GETFH: the data is read into a pooled direct buffer. */
    @Benchmark
    public int readNotLastOp() {
        return server.callAndDiscard(next(readNotLast, readNotLastSeq));
    }

    /** SEQUENCE, PUTFH, WRITE UNSTABLE (to the page cache): data from the transport buffer to the file. */
    @Benchmark
    public int writeUnstable() {
        return server.callAndDiscard(next(write, writeSeq));
    }
}
