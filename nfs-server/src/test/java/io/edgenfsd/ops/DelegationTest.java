package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delegations between two clients of one server (RFC 8881 sections 10.2-10.4, 18.6, 18.16, 20.2): the
 * grant, the recall over the holder's back channel while the conflicting caller gets NFS4ERR_DELAY, the
 * revocation of a delegation not returned within a lease, and the no_delegations export option. The lease
 * is short (4 s) so revocation is tested in seconds.
 */
class DelegationTest {
    static final int LEASE = 4;
    static final int SEQ4_STATUS_RECALLABLE_STATE_REVOKED = 0x40;

    @TempDir
    static Path tmp;
    static TestServer server;
    static Path rw;
    static Path off;
    private final List<NfsSession> sessions = new ArrayList<>();
    NfsSession holder;
    NfsSession other;
    byte[] dirFh;
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("protocol tests need root (CI runs them as root)").isZero();
        rw = tmp.resolve("rw");
        off = tmp.resolve("off");
        Files.createDirectories(rw);
        Files.createDirectories(off);
        server = TestServer.startWithLease(tmp.resolve("state"), 1 << 20, LEASE,
                rw + " *(rw,sync,no_root_squash,insecure)",
                off + " *(rw,sync,no_root_squash,insecure,no_delegations)");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void twoClients(TestInfo info) throws Exception {
        holder = track(server.session(Cred.root()));
        other = track(server.session(Cred.root()));
        String name = info.getTestMethod().orElseThrow().getName();
        dir = rw.resolve(name);
        dirFh = holder.mkdir(holder.lookupPath(rw.toString()), name);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void closeClients() {
        sessions.forEach(NfsSession::close);
    }

    private NfsSession track(NfsSession s) {
        sessions.add(s);
        return s;
    }

    private static CompoundReply open(NfsSession s, byte[] dir, String name, int access) {
        return s.compound(c -> c.putfh(dir).open(access, Op.DENY_NONE, 0, s.openOwner(), name).getfh());
    }

    private record Held(byte[] fh, Stateid open, Stateid delegation) {
    }

    /** The holder opens {@code name} for reading and must be granted a read delegation. */
    private Held readDelegation(String name) throws Exception {
        Files.writeString(dir.resolve(name), "first");
        CompoundReply r = open(holder, dirFh, name, Op.ACCESS_READ).orThrow();
        Res.Open o = r.body(Op.OPEN, Res.Open.class);
        assertThat(o.delegationType()).as("read delegation granted").isEqualTo(1);
        assertThat(o.delegation()).isNotNull();
        return new Held(r.body(Op.GETFH, byte[].class), o.stateid(), o.delegation());
    }

    private static NfsStatus status(NfsSession s, Consumer<io.edgenfsd.client.Compound> ops) {
        return s.compound(ops).status();
    }

    @Test
    void readOpenWithoutOtherWritersIsGrantedAReadDelegationUsableForRead() throws Exception {
        Held h = readDelegation("f");
        assertThat(holder.compound(c -> c.testStateid(h.delegation())).orThrow().last().body())
                .isEqualTo(new int[] {NfsStatus.OK.code});
        CompoundReply read = holder.compound(c -> c.putfh(h.fh()).read(h.delegation(), 0, 100)).orThrow();
        assertThat(new String(read.body(Op.READ, Res.Read.class).data(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(status(holder, c -> c.putfh(h.fh()).write(h.delegation(), 0, 0, new byte[1])))
                .as("a read delegation does not authorise WRITE").isEqualTo(NfsStatus.OPENMODE);
    }

    @Test
    void conflictingWriteOpenGetsDelayAndARecallThenSucceedsAfterDelegReturn() throws Exception {
        Held h = readDelegation("f");
        assertThat(open(other, dirFh, "f", Op.ACCESS_WRITE).status()).isEqualTo(NfsStatus.DELAY);
        RpcClient.Recall recall = holder.rpc().awaitRecall(5000);
        assertThat(recall).as("CB_RECALL on the holder's back channel").isNotNull();
        assertThat(recall.stateid()).isEqualTo(h.delegation());
        assertThat(recall.fh()).isEqualTo(h.fh());
        assertThat(open(other, dirFh, "f", Op.ACCESS_WRITE).status()).as("still out").isEqualTo(NfsStatus.DELAY);
        holder.compound(c -> c.putfh(h.fh()).delegreturn(h.delegation())).orThrow();
        assertThat(open(other, dirFh, "f", Op.ACCESS_WRITE).status()).isEqualTo(NfsStatus.OK);
        assertThat(holder.compound(c -> c.testStateid(h.delegation())).orThrow().last().body())
                .isEqualTo(new int[] {NfsStatus.BAD_STATEID.code});
        assertThat(holder.rpc().awaitRecall(200)).as("one recall only").isNull();
    }

    @Test
    void setattrRemoveRenameAndLinkFromAnotherClientRecallTheDelegation() throws Exception {
        List<Consumer<io.edgenfsd.client.Compound>> conflicting = List.of(
                c -> c.putfh(dirFh).lookup("f").setattr(Stateid.ANONYMOUS, Attrs.mode(0600)),
                c -> c.putfh(dirFh).remove("f"),
                c -> c.putfh(dirFh).savefh().rename("f", "g"),
                c -> c.putfh(dirFh).lookup("f").savefh().putfh(dirFh).link("h"));
        for (Consumer<io.edgenfsd.client.Compound> op : conflicting) {
            Files.deleteIfExists(dir.resolve("g"));
            Files.deleteIfExists(dir.resolve("h"));
            Files.deleteIfExists(dir.resolve("f"));
            Thread.sleep(2100); // a file changed by another client just now gets no delegation (contention)
            Held h = readDelegation("f");
            assertThat(status(other, op)).isEqualTo(NfsStatus.DELAY);
            assertThat(holder.rpc().awaitRecall(5000)).isNotNull().extracting(RpcClient.Recall::stateid)
                    .isEqualTo(h.delegation());
            holder.compound(c -> c.putfh(h.fh()).delegreturn(h.delegation())).orThrow();
            assertThat(status(other, op)).isEqualTo(NfsStatus.OK);
        }
    }

    @Test
    void theHoldersOwnWriteOpenNeedsNoRecall() throws Exception {
        readDelegation("f");
        assertThat(open(holder, dirFh, "f", Op.ACCESS_WRITE).status()).isEqualTo(NfsStatus.OK);
        assertThat(holder.rpc().awaitRecall(300)).isNull();
    }

    @Test
    void aFileOpenForWritingByAnotherClientGetsNoDelegation() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        open(other, dirFh, "f", Op.ACCESS_WRITE).orThrow();
        Thread.sleep(2100);
        Res.Open o = open(holder, dirFh, "f", Op.ACCESS_READ | Op.WANT_READ_DELEG).orThrow()
                .body(Op.OPEN, Res.Open.class);
        assertThat(o.delegationType()).isEqualTo(3);
        assertThat(o.whyNoDelegation()).isEqualTo(1); // WND4_CONTENTION
    }

    @Test
    void wantNoDelegationIsAnsweredWithNotWanted() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        Res.Open o = open(holder, dirFh, "f", Op.ACCESS_READ | Op.WANT_NO_DELEG).orThrow().body(Op.OPEN, Res.Open.class);
        assertThat(o.delegationType()).isEqualTo(3);
        assertThat(o.whyNoDelegation()).isEqualTo(0); // WND4_NOT_WANTED
    }

    @Test
    void openUnderTheDelegationWithClaimDelegCurFhSucceeds() throws Exception {
        Held h = readDelegation("f");
        CompoundReply r = holder.compound(c -> c.putfh(h.fh()).openDelegCurFh(Op.ACCESS_READ, Op.DENY_NONE, 0,
                "another owner".getBytes(StandardCharsets.UTF_8), h.delegation()));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(other.compound(c -> c.putfh(h.fh()).openDelegCurFh(Op.ACCESS_READ, Op.DENY_NONE, 0,
                other.openOwner(), h.delegation())).status()).as("another client's delegation")
                .isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void exportWithNoDelegationsGrantsNone() throws Exception {
        Files.writeString(off.resolve("f"), "x");
        byte[] offFh = holder.lookupPath(off.toString());
        assertThat(open(holder, offFh, "f", Op.ACCESS_READ).orThrow().body(Op.OPEN, Res.Open.class).delegationType())
                .isEqualTo(0);
        Res.Open o = open(holder, offFh, "f", Op.ACCESS_READ | Op.WANT_READ_DELEG).orThrow().body(Op.OPEN, Res.Open.class);
        assertThat(o.delegationType()).isEqualTo(3);
        assertThat(o.whyNoDelegation()).isEqualTo(2); // WND4_RESOURCE
        assertThat(open(other, offFh, "f", Op.ACCESS_WRITE).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void delegationNotReturnedWithinALeaseIsRevokedAndTheConflictingOpenProceeds() throws Exception {
        Held h = readDelegation("f");
        long start = System.nanoTime();
        NfsStatus st = NfsStatus.DELAY;
        // the holder keeps its lease (SEQUENCE) but ignores the recall
        while (st == NfsStatus.DELAY && System.nanoTime() - start < (LEASE + 10) * 1_000_000_000L) {
            holder.compound(c -> { }).orThrow();
            Thread.sleep(250);
            st = open(other, dirFh, "f", Op.ACCESS_WRITE).status();
        }
        double waited = (System.nanoTime() - start) / 1e9;
        assertThat(st).isEqualTo(NfsStatus.OK);
        assertThat(waited).as("revoked after one lease, not before, and not much later")
                .isBetween(LEASE - 0.5, LEASE + 3.0);
        assertThat(holder.rpc().awaitRecall(0)).isNotNull();
        assertThat(status(holder, c -> c.putfh(h.fh()).read(h.delegation(), 0, 10)))
                .isEqualTo(NfsStatus.DELEG_REVOKED);
        assertThat(sequenceFlags(holder) & SEQ4_STATUS_RECALLABLE_STATE_REVOKED).isNotZero();
        assertThat(holder.compound(c -> c.testStateid(h.delegation())).orThrow().last().body())
                .isEqualTo(new int[] {NfsStatus.DELEG_REVOKED.code});
        assertThat(status(holder, c -> c.putfh(h.fh()).delegreturn(h.delegation()))).isEqualTo(NfsStatus.DELEG_REVOKED);
        holder.compound(c -> c.freeStateid(h.delegation())).orThrow();
        assertThat(sequenceFlags(holder) & SEQ4_STATUS_RECALLABLE_STATE_REVOKED).isZero();
    }

    /** The holder creates {@code name} open for reading and writing and must be granted a write delegation. */
    private Held writeDelegation(String name) {
        CompoundReply r = holder.compound(c -> c.putfh(dirFh).openCreate(Op.ACCESS_BOTH, Op.DENY_NONE, 0,
                holder.openOwner(), Op.UNCHECKED, Attrs.none(), null, name).getfh()).orThrow();
        Res.Open o = r.body(Op.OPEN, Res.Open.class);
        assertThat(o.delegationType()).as("write delegation granted").isEqualTo(2);
        return new Held(r.body(Op.GETFH, byte[].class), o.stateid(), o.delegation());
    }

    private static Fattr sizeAndChange(NfsSession s, byte[] fh) {
        return s.compound(c -> c.putfh(fh).getattr(Fattr.CHANGE, Fattr.SIZE)).orThrow().body(Op.GETATTR, Fattr.class);
    }

    @Test
    void readWriteOpenIsGrantedAWriteDelegationUsableForWriteAndAnotherClientsOpenRecallsIt() throws Exception {
        Held h = writeDelegation("w");
        CompoundReply w = holder.compound(c -> c.putfh(h.fh()).write(h.delegation(), 0, Op.FILE_SYNC,
                "data".getBytes(StandardCharsets.UTF_8)));
        assertThat(w.status()).isEqualTo(NfsStatus.OK);
        assertThat(open(other, dirFh, "w", Op.ACCESS_READ).status()).as("any open conflicts")
                .isEqualTo(NfsStatus.DELAY);
        assertThat(holder.rpc().awaitRecall(5000)).isNotNull().extracting(RpcClient.Recall::stateid)
                .isEqualTo(h.delegation());
        holder.compound(c -> c.putfh(h.fh()).delegreturn(h.delegation())).orThrow();
        assertThat(open(other, dirFh, "w", Op.ACCESS_READ).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void aFileOpenByAnotherClientGetsNoWriteDelegation() throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        open(other, dirFh, "f", Op.ACCESS_READ | Op.WANT_NO_DELEG).orThrow();
        Res.Open o = open(holder, dirFh, "f", Op.ACCESS_BOTH).orThrow().body(Op.OPEN, Res.Open.class);
        assertThat(o.delegationType()).isZero();
        assertThat(holder.rpc().cbGetattrCalls()).isZero();
    }

    @Test
    void getattrByAnotherClientAsksTheWriteDelegationHolderWithCbGetattrAndAnswersItsSizeAndChange() throws Exception {
        Held h = writeDelegation("w");
        Fattr granted = sizeAndChange(holder, h.fh());
        // an unmodified holder answers what the server has: the other client sees the server's values
        holder.rpc().answerCbGetattr(granted.change(), granted.size());
        Fattr same = sizeAndChange(other, h.fh());
        assertThat(holder.rpc().cbGetattrCalls()).isEqualTo(1);
        assertThat(same.size()).isEqualTo(granted.size());
        assertThat(same.change()).isEqualTo(granted.change());
        // a holder with unwritten data answers a new change and size: the other client sees the size and a
        // change attribute that moved (RFC 8881 section 10.4.3), while nothing reached the file
        holder.rpc().answerCbGetattr(granted.change() + 1, 5);
        Fattr changed = sizeAndChange(other, h.fh());
        assertThat(changed.size()).isEqualTo(5);
        assertThat(changed.change()).isGreaterThan(granted.change());
        assertThat(Files.size(dir.resolve("w"))).isZero();
        assertThat(holder.rpc().awaitRecall(200)).as("answered: no recall").isNull();
        // the holder's own GETATTR asks nobody
        sizeAndChange(holder, h.fh());
        assertThat(holder.rpc().cbGetattrCalls()).isEqualTo(2);
    }

    @Test
    void getattrWhoseCbGetattrGoesUnansweredGetsDelayWithinAFewSecondsAndRecallsTheDelegation() throws Exception {
        Held h = writeDelegation("w");
        holder.rpc().ignoreCbGetattr();
        long start = System.nanoTime();
        CompoundReply r = other.compound(c -> c.putfh(h.fh()).getattr(Fattr.CHANGE, Fattr.SIZE));
        double waited = (System.nanoTime() - start) / 1e9;
        assertThat(r.status()).isEqualTo(NfsStatus.DELAY);
        assertThat(waited).as("the bounded CB_GETATTR wait").isBetween(1.5, 4.0);
        assertThat(holder.rpc().awaitRecall(5000)).isNotNull().extracting(RpcClient.Recall::stateid)
                .isEqualTo(h.delegation());
        // attributes that need no answer from the holder are served meanwhile
        assertThat(other.compound(c -> c.putfh(h.fh()).getattr(Fattr.MODE)).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void exportWithNoDelegationsGrantsNoWriteDelegation() throws Exception {
        byte[] offFh = holder.lookupPath(off.toString());
        Res.Open o = holder.compound(c -> c.putfh(offFh).openCreate(Op.ACCESS_BOTH, Op.DENY_NONE, 0,
                holder.openOwner(), Op.UNCHECKED, Attrs.none(), null, "wd")).orThrow().body(Op.OPEN, Res.Open.class);
        assertThat(o.delegationType()).isZero();
    }

    private static int sequenceFlags(NfsSession s) {
        return s.compound(c -> { }).orThrow().body(Op.SEQUENCE, Res.Sequence.class).flags();
    }
}
