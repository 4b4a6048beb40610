package io.edgenfsd.compound;

import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.RpcResult;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.ops.ProtocolTestBase;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session reply cache and size limits of RFC 8881 sections 2.10.6.1 and 18.46: only sa_cachethis
 * replies are kept, none beyond ca_maxresponsesize_cached, no reply beyond ca_maxresponsesize and no request
 * beyond ca_maxrequestsize.
 */
class SessionReplyLimitsTest extends ProtocolTestBase {
    static final int MIB = 1 << 20;

    private byte[] bigFile(String name) throws Exception {
        Files.write(dir.resolve(name), new byte[MIB]);
        return root.lookup(dirFh, name);
    }

    /** Sends {@code ops} after a SEQUENCE on a reserved slot with the given cachethis, twice with one seqid. */
    private CompoundReply[] sendTwice(boolean cacheThis, Consumer<Compound> ops) {
        int slot = 5;
        int seq = root.reserveSlot(slot);
        try {
            Compound c = new Compound().sequence(root.sessionId(), seq, slot, root.slots() - 1, cacheThis);
            ops.accept(c);
            byte[] args = c.encode();
            return new CompoundReply[] {CompoundReply.decode(root.sendArgs(args)),
                    CompoundReply.decode(root.sendArgs(args))};
        } finally {
            root.releaseSlot(slot, seq);
        }
    }

    @Test
    void createSessionOffersAtMostFourKibOfCachedReplyPerSlot() {
        // the test client asks for 64 KiB; each slot keeps at most MAX_CACHED_REPLY
        try (RpcClient rpc = server.connect()) {
            CompoundReply ex = NfsSession.send(rpc, Cred.root(), new Compound().exchangeId(new byte[8],
                    ("limits-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8), 0)).orThrow();
            Res.ExchangeId e = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
            CompoundReply cs = NfsSession.send(rpc, Cred.root(), new Compound().createSession(e.clientId(), e.seq(),
                    0, 4, NfsSession.CB_PROGRAM)).orThrow();
            assertThat(cs.body(Op.CREATE_SESSION, Res.CreateSession.class).maxResponseCached())
                    .isEqualTo(CompoundProcessor.MAX_CACHED_REPLY);
        }
    }

    @Test
    void aCachethisReplyAboveTheCachedLimitAnswersRepTooBigToCacheAndItsRetryTheSame() throws Exception {
        byte[] fh = bigFile("f");
        CompoundReply[] r = sendTwice(true, c -> c.putfh(fh).read(Stateid.ANONYMOUS, 0, 64 * 1024));
        assertThat(r[0].status()).isEqualTo(NfsStatus.REP_TOO_BIG_TO_CACHE);
        assertThat(r[0].results()).hasSize(3);
        assertThat(r[0].get(2).opcode()).isEqualTo(Op.READ);
        assertThat(r[1].rpc().afterXid()).as("the retry gets the cached error").isEqualTo(r[0].rpc().afterXid());
        // small enough to cache: served
        CompoundReply small = sendTwice(true, c -> c.putfh(fh).read(Stateid.ANONYMOUS, 0, 1024))[1];
        assertThat(small.status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void sixteenOneMibReadsAnswerRepTooBigAtTheSecondRead() throws Exception {
        byte[] fh = bigFile("g");
        CompoundReply r = root.compound(c -> {
            c.putfh(fh);
            for (int i = 0; i < 16; i++) {
                c.read(Stateid.ANONYMOUS, 0, MIB);
            }
        });
        assertThat(r.status()).isEqualTo(NfsStatus.REP_TOO_BIG);
        assertThat(r.results()).hasSize(4); // SEQUENCE, PUTFH, one 1 MiB READ that fits, the one that does not
        assertThat(r.get(2).status()).isEqualTo(NfsStatus.OK);
        assertThat(r.get(3).status()).isEqualTo(NfsStatus.REP_TOO_BIG);
        assertThat(r.rpc().results().length).isLessThan(MIB + 8192);
    }

    @Test
    void aCachethisSequenceWhoseOwnReplyExceedsTheCachedLimitAnswersRepTooBigToCacheAndLeavesTheSlot() {
        try (RpcClient rpc = server.connect()) {
            CompoundReply ex = NfsSession.send(rpc, Cred.root(), new Compound().exchangeId(new byte[8],
                    ("cached-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8), 0)).orThrow();
            Res.ExchangeId e = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
            // as pynfs CSESS27: ca_maxresponsesize_cached of 10 bytes, then SEQUENCE alone with sa_cachethis
            CompoundReply cs = NfsSession.send(rpc, Cred.root(), new Compound().createSession(e.clientId(), e.seq(),
                    0, 4, NfsSession.CB_PROGRAM, 8192, 8192, 10)).orThrow();
            byte[] sid = cs.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId();
            CompoundReply cached = NfsSession.send(rpc, Cred.root(), new Compound().sequence(sid, 1, 0, 0, true));
            assertThat(cached.status()).isEqualTo(NfsStatus.REP_TOO_BIG_TO_CACHE);
            assertThat(cached.results()).hasSize(1);
            // the slot still expects sequence id 1; uncached, the same SEQUENCE is served
            assertThat(NfsSession.send(rpc, Cred.root(), new Compound().sequence(sid, 1, 0, 0, false)).status())
                    .isEqualTo(NfsStatus.OK);
        }
    }

    @Test
    void aRetryOfAReplyNotAskedToBeCachedAnswersRetryUncachedRep() {
        CompoundReply[] r = sendTwice(false, c -> c.putrootfh().getfh());
        assertThat(r[0].status()).isEqualTo(NfsStatus.OK);
        assertThat(r[1].status()).isEqualTo(NfsStatus.RETRY_UNCACHED_REP);
    }

    @Test
    void aRequestAboveTheNegotiatedMaximumAnswersReqTooBigAndLeavesTheSlotUntouched() {
        try (RpcClient rpc = server.connect()) {
            CompoundReply ex = NfsSession.send(rpc, Cred.root(), new Compound().exchangeId(new byte[8],
                    ("reqsize-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8), 0)).orThrow();
            Res.ExchangeId e = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
            // as pynfs SEQ6: a session taking 512-byte requests, then a LOOKUP of a 500-byte name
            CompoundReply cs = NfsSession.send(rpc, Cred.root(), new Compound().createSession(e.clientId(), e.seq(),
                    0, 4, NfsSession.CB_PROGRAM, 512, 8192, 4096)).orThrow();
            byte[] sid = cs.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId();
            CompoundReply big = NfsSession.send(rpc, Cred.root(), new Compound().sequence(sid, 1, 0, 0, false)
                    .putrootfh().lookup("12345".repeat(100)));
            assertThat(big.status()).isEqualTo(NfsStatus.REQ_TOO_BIG);
            assertThat(big.results()).hasSize(1);
            // the slot still expects sequence id 1
            CompoundReply ok = NfsSession.send(rpc, Cred.root(), new Compound().sequence(sid, 1, 0, 0, false)
                    .putrootfh());
            assertThat(ok.status()).isEqualTo(NfsStatus.OK);
        }
    }
}
