package io.edgenfsd.bench.jmh;

import io.edgenfsd.bench.wire.Compound;
import io.edgenfsd.bench.wire.Reply;
import io.edgenfsd.status.NfsException;
import io.edgenfsd.state.ClientRecord;
import io.edgenfsd.state.Session;
import io.edgenfsd.state.StateId;
import io.edgenfsd.state.StateManager;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * State lookups on the hot path of every I/O compound: the session by its id plus entering and leaving a
 * slot (SEQUENCE), and an open stateid (READ/WRITE), on a StateManager populated through the real
 * EXCHANGE_ID, CREATE_SESSION and OPEN operations (plus 1,000 other opens, so the maps are not trivially
 * small).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "--add-opens=java.base/java.io=ALL-UNNAMED"})
public class StateBench {
    private InProcessServer server;
    private Path dir;
    private StateManager state;
    private byte[] sessionId;
    private ClientRecord client;
    private StateId stateid;
    private int seq = 1;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "edge-jmh-state-");
        server = new InProcessServer(dir);
        state = server.state;
        Object[] s = server.session();
        long clientId = (Long) s[0];
        sessionId = (byte[]) s[1];
        client = state.client(clientId);
        call(c -> c.reclaimComplete()).sequence();
        byte[] exportFh = lookup();
        byte[] owner = "jmh".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1000; i++) {
            String name = "f" + i;
            Reply r = call(c -> c.putfh(exportFh).open(clientId, owner, name, true));
            r.sequence().op(Compound.OP_PUTFH);
            Compound.StateIdBytes sid = r.open();
            if (i == 500) {
                stateid = new StateId(sid.seqid(), sid.other());
            }
        }
    }

    private Reply call(java.util.function.Consumer<Compound> body) {
        Compound c = new Compound(server.nextXid()).sequence(sessionId, seq++, 0, 7);
        body.accept(c);
        return server.call(c.bytes());
    }

    private byte[] lookup() {
        String[] parts = dir.toString().substring(1).split("/");
        Reply r = call(c -> {
            c.putrootfh();
            for (String p : parts) {
                c.lookup(p);
            }
            c.getfh();
        });
        r.sequence().op(Compound.OP_PUTROOTFH);
        for (String ignored : parts) {
            r.op(Compound.OP_LOOKUP);
        }
        return r.getfh();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        server.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** What SEQUENCE does to the state: find the session, enter slot 1, leave it with no cached reply. */
    @Benchmark
    public Object sessionAndSlot() throws NfsException {
        Session s = state.session(sessionId);
        StateManager.SlotDecision d = state.enterSlot(s, 1, seq2++, s.client().principal());
        state.leaveSlot(((StateManager.Execute) d).slot(), null);
        return d;
    }

    private int seq2 = 1;

    /** What READ/WRITE do with their stateid: find the open state and check seqid and owner. */
    @Benchmark
    public Object stateidLookup() throws NfsException {
        return state.find(stateid, client);
    }
}
