package io.edgenfsd.compound;

import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcResult;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.server.Operations;
import io.edgenfsd.server.ServerConfig;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * COMPOUNDs of cache hits run on the event loop; the first operation that would wait hands itself and the
 * rest of the COMPOUND to a worker, before it has any effect, with the filehandles, results and slot kept
 * (DESIGN.md: the event loop never blocks).
 */
class EventLoopDeferralTest {
    @TempDir
    Path tmp;

    /** Where each run of an operation started: true on the event loop. */
    private static Operation recording(Operation real, List<Boolean> runs) {
        return (ctx, in, out) -> {
            runs.add(ctx.onEventLoop());
            real.execute(ctx, in, out);
        };
    }

    @Test
    void anOperationThatMustWaitRunsOnceOnAWorkerAfterTheLoopPartAndTheReplyIsComplete() throws Exception {
        Path exp = tmp.resolve("exp");
        Files.createDirectories(exp);
        Files.writeString(exp.resolve("f"), "x");
        OperationTable base = Operations.table();
        List<Boolean> putfh = new CopyOnWriteArrayList<>();
        List<Boolean> getfhEntered = new CopyOnWriteArrayList<>();
        List<Boolean> getfhDone = new CopyOnWriteArrayList<>();
        List<Boolean> getattr = new CopyOnWriteArrayList<>();
        Operation realGetfh = base.get(OperationTable.GETFH);
        OperationTable ops = base
                .register(OperationTable.PUTFH, recording(base.get(OperationTable.PUTFH), putfh))
                .register(OperationTable.GETFH, (ctx, in, out) -> {
                    getfhEntered.add(ctx.onEventLoop());
                    ctx.mayWait(); // as an operation that would read the disk
                    getfhDone.add(ctx.onEventLoop());
                    realGetfh.execute(ctx, in, out);
                })
                .register(OperationTable.GETATTR, recording(base.get(OperationTable.GETATTR), getattr));
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20, ServerConfig.Limits.defaults(), ops,
                exp + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            byte[] fh = s.lookupPath(exp + "/f");
            putfh.clear();
            getfhEntered.clear();
            getfhDone.clear();
            getattr.clear();
            int slot = 1;
            int seq = s.reserveSlot(slot);
            byte[] args = s.sequenced(slot, seq, c -> c.putfh(fh).getfh().getattr(io.edgenfsd.client.Fattr.SIZE)).encode();
            RpcResult first = s.sendArgs(args);
            CompoundReply r = CompoundReply.decode(first);
            assertThat(r.status()).isEqualTo(NfsStatus.OK);
            assertThat(r.results()).extracting(CompoundReply.Result::opcode)
                    .containsExactly(Op.SEQUENCE, Op.PUTFH, Op.GETFH, Op.GETATTR);
            assertThat(r.body(Op.GETFH, byte[].class)).as("GETFH on the worker sees PUTFH's filehandle").isEqualTo(fh);
            assertThat(putfh).as("PUTFH of an open object ran on the loop").containsExactly(true);
            assertThat(getfhEntered).as("GETFH started on the loop, then again on a worker").containsExactly(true, false);
            assertThat(getfhDone).as("its body ran once, on the worker").containsExactly(false);
            assertThat(getattr).as("the rest of the COMPOUND ran on the worker").containsExactly(false);

            // the slot was kept across the hand-off: the retry is answered from it, byte for byte
            RpcResult retry = s.sendArgs(args);
            assertThat(retry.afterXid()).isEqualTo(first.afterXid());
            assertThat(getfhDone).as("a replay runs nothing again").containsExactly(false);
            s.releaseSlot(slot, seq);
        }
    }

    @Test
    void cachedPutfhLookupGetattrAndReadRunOnTheLoopAndAColdReadMovesToAWorker() throws Exception {
        Path exp = tmp.resolve("exp");
        Files.createDirectories(exp);
        byte[] data = new byte[8192];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Path cold = exp.resolve("cold");
        writeBypassingThePageCache(cold, data);
        Files.write(exp.resolve("warm"), data);
        OperationTable base = Operations.table();
        List<Boolean> lookup = new CopyOnWriteArrayList<>();
        List<Boolean> read = new CopyOnWriteArrayList<>();
        OperationTable ops = base
                .register(OperationTable.LOOKUP, recording(base.get(OperationTable.LOOKUP), lookup))
                .register(OperationTable.READ, recording(base.get(OperationTable.READ), read));
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20, ServerConfig.Limits.defaults(), ops,
                exp + " *(rw,sync,no_root_squash,insecure)");
             NfsSession s = server.session(Cred.root())) {
            byte[] dir = s.lookupPath(exp.toString());
            s.lookup(dir, "warm");
            lookup.clear();
            CompoundReply again = s.compound(c -> c.putfh(dir).lookup("warm").getfh().getattr(io.edgenfsd.client.Fattr.SIZE));
            assertThat(again.status()).isEqualTo(NfsStatus.OK);
            assertThat(lookup).as("a LOOKUP of a name in the dentry cache ran on the loop").containsExactly(true);

            NfsSession.OpenFile warm = s.open(dir, "warm", 1, 0);
            s.read(warm, 0, 4096); // opens the file for I/O
            read.clear();
            Res.Read w = s.read(warm, 0, 4096);
            assertThat(w.data()).isEqualTo(java.util.Arrays.copyOf(data, 4096));
            assertThat(read).as("a READ of cached data through an open file ran on the loop").containsExactly(true);

            NfsSession.OpenFile c = s.open(dir, "cold", 1, 0);
            s.read(c, 0, 1); // opens the file for I/O and brings in the first page only (readahead aside)
            dropCachedPages(cold);
            read.clear();
            Res.Read r = s.read(c, 4096, 4096);
            assertThat(r.data()).isEqualTo(java.util.Arrays.copyOfRange(data, 4096, 8192));
            assertThat(read).as("a READ of data not in the page cache started on the loop and ran on a worker")
                    .containsExactly(true, false);
        }
    }

    /** O_DIRECT: the data goes to the disk and the file's page cache is left empty. */
    private static void writeBypassingThePageCache(Path p, byte[] data) throws Exception {
        int block = Math.toIntExact(Files.getFileStore(p.getParent()).getBlockSize());
        ByteBuffer b = ByteBuffer.allocateDirect(data.length + block).alignedSlice(block);
        b.put(data).flip();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** Writing the file again with O_DIRECT invalidates its cached pages (the data stays the same). */
    private static void dropCachedPages(Path p) throws Exception {
        byte[] data = Files.readAllBytes(p);
        int block = Math.toIntExact(Files.getFileStore(p.getParent()).getBlockSize());
        ByteBuffer b = ByteBuffer.allocateDirect(data.length + block).alignedSlice(block);
        b.put(data).flip();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            while (b.hasRemaining()) {
                ch.write(b, b.position());
            }
        }
    }
}
