package io.edgenfsd.rpc;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.RpcResult;
import io.edgenfsd.client.XdrOut;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.ops.ProtocolTestBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input at the RPC layer: each gets its RPC error or a closed connection, and the server keeps serving. */
class MalformedRpcTest extends ProtocolTestBase {

    private static RpcResult callWith(RpcClient c, int rpcVersion, int prog, int vers, int proc, Cred cred,
                                      byte[] args) {
        int xid = c.nextXid();
        byte[] body = RpcClient.callHeader(xid, rpcVersion, prog, vers, proc, cred).raw(args).toByteArray();
        return c.await(c.sendRecordExpectingReply(xid, body));
    }

    private static void assertServerStillServes() {
        try (NfsSession s = server.session(Cred.root())) {
            assertThat(s.compound(c -> c.putrootfh().getfh()).status()).isEqualTo(NfsStatus.OK);
        }
    }

    @Test
    void rpcVersion3AnswersRpcMismatch2To2() {
        try (RpcClient c = server.connect()) {
            RpcResult r = callWith(c, 3, RpcClient.NFS_PROGRAM, 4, 0, Cred.root(), new byte[0]);
            assertThat(r.accepted()).isFalse();
            assertThat(r.rejectStat()).isEqualTo(RpcResult.RPC_MISMATCH);
            assertThat(r.low()).isEqualTo(2);
            assertThat(r.high()).isEqualTo(2);
        }
    }

    @Test
    void unknownProgramAnswersProgUnavail() {
        try (RpcClient c = server.connect()) {
            RpcResult r = c.call(100005, 3, 0, Cred.root(), new byte[0]);
            assertThat(r.accepted()).isTrue();
            assertThat(r.acceptStat()).isEqualTo(RpcResult.PROG_UNAVAIL);
        }
    }

    @Test
    void wrongVersionAnswersProgMismatch4To4() {
        try (RpcClient c = server.connect()) {
            RpcResult r = c.call(RpcClient.NFS_PROGRAM, 3, 0, Cred.root(), new byte[0]);
            assertThat(r.acceptStat()).isEqualTo(RpcResult.PROG_MISMATCH);
            assertThat(r.low()).isEqualTo(4);
            assertThat(r.high()).isEqualTo(4);
        }
    }

    @Test
    void unknownProcedureAnswersProcUnavail() {
        try (RpcClient c = server.connect()) {
            assertThat(c.call(RpcClient.NFS_PROGRAM, 4, 2, Cred.root(), new byte[0]).acceptStat())
                    .isEqualTo(RpcResult.PROC_UNAVAIL);
        }
    }

    @Test
    void rpcsecGssFlavorAnswersAuthErrorBadcred() {
        try (RpcClient c = server.connect()) {
            RpcResult r = c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.raw(6, new byte[16]), new byte[0]);
            assertThat(r.accepted()).isFalse();
            assertThat(r.rejectStat()).isEqualTo(RpcResult.AUTH_ERROR);
            assertThat(r.authStat()).isEqualTo(1);
        }
    }

    @Test
    void truncatedAuthSysBodyAnswersBadcredAndANonNullVerifierBadverf() {
        try (RpcClient c = server.connect()) {
            RpcResult r = c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.raw(1, new byte[8]), new byte[0]);
            assertThat(r.authStat()).isEqualTo(1);
            int xid = c.nextXid();
            byte[] body = new XdrOut().int32(xid).int32(0).int32(2).int32(RpcClient.NFS_PROGRAM).int32(4).int32(0)
                    .int32(0).int32(0).int32(1).opaque(new byte[8]).toByteArray();
            RpcResult v = c.await(c.sendRecordExpectingReply(xid, body));
            assertThat(v.rejectStat()).isEqualTo(RpcResult.AUTH_ERROR);
            assertThat(v.authStat()).isEqualTo(3);
        }
    }

    @Test
    void authNoneIsServedAsTheAnonymousUser() {
        try (RpcClient c = server.connect()) {
            RpcResult r = c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.none(), new byte[0]);
            assertThat(r.acceptStat()).isEqualTo(RpcResult.SUCCESS);
        }
    }

    @Test
    void callHeaderCutShortAnswersGarbageArgs() {
        try (RpcClient c = server.connect()) {
            int xid = c.nextXid();
            byte[] body = new XdrOut().int32(xid).int32(0).int32(2).int32(RpcClient.NFS_PROGRAM).int32(4)
                    .toByteArray();
            assertThat(c.await(c.sendRecordExpectingReply(xid, body)).acceptStat())
                    .isEqualTo(RpcResult.GARBAGE_ARGS);
        }
    }

    @Test
    void compoundArgumentsCutShortAnswerGarbageArgs() {
        try (RpcClient c = server.connect()) {
            byte[] args = new XdrOut().int32(100).toByteArray(); // tag length 100, nothing follows
            assertThat(c.call(RpcClient.NFS_PROGRAM, 4, 1, Cred.root(), args).acceptStat())
                    .isEqualTo(RpcResult.GARBAGE_ARGS);
        }
    }

    @Test
    void recordsTooShortForAHeaderOrOfNeitherTypeAreIgnoredAndTheConnectionStaysUsable() {
        try (RpcClient c = server.connect()) {
            c.sendRecord(new byte[] {1, 2});
            c.sendRecord(new XdrOut().int32(5).int32(7).toByteArray());
            c.sendRecord(new XdrOut().int32(99).int32(1).int32(0).toByteArray()); // reply to nothing
            assertThat(c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.root(), new byte[0]).acceptStat())
                    .isEqualTo(RpcResult.SUCCESS);
        }
    }

    @Test
    void recordMarkAnnouncingAHugeRecordClosesThatConnectionOnly() {
        try (RpcClient bad = server.connect(); NfsSession good = server.session(Cred.root())) {
            bad.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0});
            assertThat(bad.awaitClosed(10_000)).isTrue();
            assertThat(good.compound(c -> c.putrootfh()).status()).isEqualTo(NfsStatus.OK);
        }
        assertServerStillServes();
    }

    @Test
    void manySmallFragmentsAddingUpBeyondTheLimitCloseTheConnection() {
        try (RpcClient bad = server.connect()) {
            byte[] frag = new byte[4 + 65536];
            frag[1] = 1; // length 65536, not last
            for (int i = 0; i < 40 && !bad.closedFuture().isDone(); i++) {
                try {
                    bad.sendRaw(frag);
                } catch (java.io.UncheckedIOException e) {
                    break;
                }
            }
            assertThat(bad.awaitClosed(10_000)).isTrue();
        }
        assertServerStillServes();
    }

    @Test
    void truncatedRecordThenDisconnectLeavesTheServerServing() {
        try (RpcClient bad = server.connect()) {
            bad.sendRaw(new byte[] {(byte) 0x80, 0, 0, 100, 1, 2, 3, 4, 5});
        }
        assertServerStillServes();
    }

    @Test
    void garbageBytesGetNoCrashAndTheServerKeepsServing() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(2000)];
            rnd.nextBytes(junk);
            try (RpcClient bad = server.connect()) {
                bad.sendRaw(junk);
                bad.awaitClosed(50);
            } catch (RuntimeException ignored) {
                // a closed connection is an acceptable answer to garbage
            }
        }
        assertServerStillServes();
    }

    @Test
    void severalCallsInFlightOnOneConnectionGetTheirOwnReplies() {
        try (RpcClient c = server.connect()) {
            CompletableFuture<?>[] fs = new CompletableFuture<?>[50];
            for (int i = 0; i < fs.length; i++) {
                fs[i] = c.callAsync(RpcClient.NFS_PROGRAM, i % 2 == 0 ? 4 : 3, 0, Cred.root(), new byte[0]);
            }
            for (int i = 0; i < fs.length; i++) {
                RpcResult r = (RpcResult) fs[i].join();
                assertThat(r.acceptStat()).isEqualTo(i % 2 == 0 ? RpcResult.SUCCESS : RpcResult.PROG_MISMATCH);
            }
        }
    }

    /**
     * Seeded mutation fuzzing of valid compounds: each mutated record must get a reply or a closed
     * connection, never a hang; afterwards a fresh client is served normally.
     */
    @Test
    void mutatedCompoundsAreAnsweredOrRefusedAndTheServerKeepsServing() {
        Random rnd = new Random(20240611L);
        int answered = 0;
        int closed = 0;
        try (NfsSession s = server.session(Cred.root())) {
            byte[] dirFhCopy = dirFh;
            for (int round = 0; round < 300; round++) {
                int slot = 0;
                int seq = s.reserveSlot(slot);
                Compound c = s.sequenced(slot, seq, x -> x.putfh(dirFhCopy).lookup("x").getattr(1, 3, 4, 33)
                        .open(Op.ACCESS_READ, 0, s.clientId(), s.openOwner(), "nope")
                        .write(io.edgenfsd.client.Stateid.ANONYMOUS, 0, 0, new byte[8]).readdir(0, new byte[8],
                                100, 1000, 1));
                byte[] args = c.encode();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int pos = 44 + rnd.nextInt(args.length - 44); // keep SEQUENCE readable most of the time
                    args[pos] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextInt(5) == 0) {
                    args = java.util.Arrays.copyOf(args, rnd.nextInt(args.length));
                }
                int used = seq - 1;
                try {
                    RpcResult r = s.sendArgs(args);
                    answered++;
                    if (r.accepted() && r.acceptStat() == RpcResult.SUCCESS) {
                        CompoundReply cr = CompoundReply.decode(r);
                        if (!cr.results().isEmpty() && cr.get(0).status() == NfsStatus.OK) {
                            used = seq;
                        }
                    }
                } catch (IllegalStateException e) {
                    assertThat(s.rpc().closedFuture().isDone()).as("no reply must mean a closed connection: " + e)
                            .isTrue();
                    closed++;
                    break;
                } finally {
                    s.releaseSlot(slot, used);
                }
            }
        }
        assertThat(answered + closed).isGreaterThan(0);
        System.out.println("fuzz: " + answered + " mutated compounds answered, " + closed + " connection closed");
        assertServerStillServes();
    }

    /** Direct memory the buffer pool has handed out (what a leaked record would keep). */
    private static long usedDirect() {
        return io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }

    @Test
    void thousandStrayReplyRecordsAreReleasedAndTheConnectionKeepsServing() {
        try (RpcClient c = server.connect()) {
            assertThat(c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.root(), new byte[0]).acceptStat())
                    .isEqualTo(RpcResult.SUCCESS);
            long before = usedDirect();
            byte[] payload = new byte[16 * 1024];
            for (int i = 0; i < 1000; i++) {
                // an accepted, successful REPLY to an xid the server never used, with 16 KiB of results
                c.sendRecord(new XdrOut().int32(0x5EED0000 + i).int32(1).int32(0).int32(0).int32(0).int32(0)
                        .raw(payload).toByteArray());
            }
            // replies are handled in order: once this call is answered, all 1,000 records have been
            assertThat(c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.root(), new byte[0]).acceptStat())
                    .isEqualTo(RpcResult.SUCCESS);
            // 1,000 x 16 KiB kept would be 16 MiB; the pool may start one more 4 MiB chunk
            assertThat(usedDirect() - before).as("direct memory growth").isLessThanOrEqualTo(4L << 20);
        }
    }

    @Test
    void thousandCredentialsLongerThanTheirRecordAnswerAuthBadcredOnTheSameConnectionWithoutLeaking() {
        try (RpcClient c = server.connect()) {
            assertThat(c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.root(), new byte[0]).acceptStat())
                    .isEqualTo(RpcResult.SUCCESS);
            long before = usedDirect();
            List<CompletableFuture<RpcResult>> replies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int xid = c.nextXid();
                // AUTH_SYS announcing a 400-byte body; the record ends 16 bytes into it
                byte[] body = new XdrOut().int32(xid).int32(0).int32(2).int32(RpcClient.NFS_PROGRAM).int32(4)
                        .int32(0).int32(1).int32(400).int32(0).int32(0).int32(0).int32(0).toByteArray();
                replies.add(c.sendRecordExpectingReply(xid, body));
            }
            for (CompletableFuture<RpcResult> f : replies) {
                RpcResult r = c.await(f);
                assertThat(r.accepted()).isFalse();
                assertThat(r.rejectStat()).isEqualTo(RpcResult.AUTH_ERROR);
                assertThat(r.authStat()).isEqualTo(1); // AUTH_BADCRED
            }
            assertThat(c.call(RpcClient.NFS_PROGRAM, 4, 0, Cred.root(), new byte[0]).acceptStat())
                    .isEqualTo(RpcResult.SUCCESS);
            assertThat(usedDirect() - before).as("direct memory growth").isLessThanOrEqualTo(4L << 20);
        }
    }
}
