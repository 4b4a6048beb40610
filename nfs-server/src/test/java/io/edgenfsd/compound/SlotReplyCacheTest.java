package io.edgenfsd.compound;

import io.edgenfsd.status.NfsStatus;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.RpcResult;
import io.edgenfsd.ops.ProtocolTestBase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** SEQUENCE slots and their reply cache (RFC 8881 section 2.10.6), CREATE_SESSION replay, session lifetime. */
class SlotReplyCacheTest extends ProtocolTestBase {

    @Test
    void retransmittedCreateGetsTheByteIdenticalReplyAndRunsOnce() throws Exception {
        int slot = 1;
        int seq = root.reserveSlot(slot);
        try {
            byte[] args = root.sequenced(slot, seq, c -> c.putfh(dirFh).mkdir("once", Attrs.mode(0700)).getfh())
                    .encode();
            RpcResult first = root.sendArgs(args);
            RpcResult second = root.sendArgs(args);
            assertThat(CompoundReply.decode(first).status()).isEqualTo(NfsStatus.OK);
            // executed again, the CREATE would fail with EXIST
            assertThat(CompoundReply.decode(second).status()).isEqualTo(NfsStatus.OK);
            assertThat(second.afterXid()).isEqualTo(first.afterXid());
            assertThat(second.xid()).isNotEqualTo(first.xid());
            assertThat(Files.isDirectory(dir.resolve("once"))).isTrue();
        } finally {
            root.releaseSlot(slot, seq);
        }
    }

    @Test
    void retransmittedWriteIsNotExecutedASecondTime() {
        NfsSession.OpenFile f = root.create(dirFh, "w", Attrs.none());
        int slot = 2;
        int seq = root.reserveSlot(slot);
        try {
            byte[] args = root.sequenced(slot, seq, c -> c.putfh(f.fh())
                    .write(f.stateid(), 0, Op.FILE_SYNC, "abc".getBytes(StandardCharsets.UTF_8))
                    .getattr(Fattr.CHANGE, Fattr.SIZE)).encode();
            RpcResult first = root.sendArgs(args);
            long changeAfterWrite = CompoundReply.decode(first).body(Op.GETATTR, Fattr.class).change();
            RpcResult second = root.sendArgs(args);
            assertThat(second.afterXid()).isEqualTo(first.afterXid());
            // a second execution would have bumped the change attribute again
            assertThat(root.getattr(f.fh(), Fattr.CHANGE).change()).isEqualTo(changeAfterWrite);
        } finally {
            root.releaseSlot(slot, seq);
        }
    }

    @Test
    void sequenceIdSkippingAheadAnswersSeqMisordered() {
        int slot = 3;
        int seq = root.reserveSlot(slot);
        try {
            CompoundReply r = root.send(root.sequenced(slot, seq + 1, c -> c.putrootfh()));
            assertThat(r.status()).isEqualTo(NfsStatus.SEQ_MISORDERED);
            // the slot still expects seq
            assertThat(root.send(root.sequenced(slot, seq, c -> c.putrootfh())).status()).isEqualTo(NfsStatus.OK);
            // and now an old one, two behind, is misordered too
            assertThat(root.send(root.sequenced(slot, seq - 1, c -> c.putrootfh())).status())
                    .isEqualTo(NfsStatus.SEQ_MISORDERED);
        } finally {
            root.releaseSlot(slot, seq);
        }
    }

    @Test
    void slotBeyondTheTableAnswersBadslot() {
        CompoundReply r = root.send(new Compound().sequence(root.sessionId(), 1, root.slots() + 5, 0, false)
                .putrootfh());
        assertThat(r.status()).isEqualTo(NfsStatus.BADSLOT);
        assertThat(r.results()).hasSize(1);
        assertThat(root.send(new Compound().sequence(root.sessionId(), 1, -1, 0, false)).status())
                .isEqualTo(NfsStatus.BADSLOT);
    }

    @Test
    void unknownSessionAnswersBadsession() {
        byte[] sid = new byte[16];
        ThreadLocalRandom.current().nextBytes(sid);
        assertThat(root.send(new Compound().sequence(sid, 1, 0, 0, false)).status()).isEqualTo(NfsStatus.BADSESSION);
    }

    @Test
    void createSessionRetransmissionReturnsTheSameSessionAndAWrongSequenceIsMisordered() {
        try (RpcClient rpc = server.connect()) {
            byte[] verifier = new byte[8];
            CompoundReply ex = NfsSession.send(rpc, Cred.root(), new Compound().exchangeId(verifier,
                    ("cs-replay-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8), 0)).orThrow();
            Res.ExchangeId e = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
            assertThat(e.flags() & 0x80000000).as("not yet confirmed").isZero();
            Compound cs = new Compound().createSession(e.clientId(), e.seq(), 0, 4, NfsSession.CB_PROGRAM);
            CompoundReply a = NfsSession.send(rpc, Cred.root(), cs).orThrow();
            CompoundReply b = NfsSession.send(rpc, Cred.root(), cs).orThrow();
            assertThat(b.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId())
                    .isEqualTo(a.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId());
            assertThat(b.rpc().results()).isEqualTo(a.rpc().results());
            CompoundReply wrong = NfsSession.send(rpc, Cred.root(), new Compound().createSession(e.clientId(),
                    e.seq() + 5, 0, 4, NfsSession.CB_PROGRAM));
            assertThat(wrong.status()).isEqualTo(NfsStatus.SEQ_MISORDERED);
        }
    }

    @Test
    void createSessionForAnUnknownClientAnswersStaleClientid() {
        CompoundReply r = root.send(new Compound().createSession(0x1234567812345678L, 1, 0, 4, 0));
        assertThat(r.status()).isEqualTo(NfsStatus.STALE_CLIENTID);
    }

    @Test
    void destroyedSessionAnswersBadsessionAndClientWithSessionsIsBusy() {
        NfsSession s = server.session(Cred.root());
        try {
            assertThat(s.send(new Compound().destroyClientId(s.clientId())).status())
                    .isEqualTo(NfsStatus.CLIENTID_BUSY);
            assertThat(s.send(new Compound().destroySession(s.sessionId())).status()).isEqualTo(NfsStatus.OK);
            assertThat(s.compound(c -> c.putrootfh()).status()).isEqualTo(NfsStatus.BADSESSION);
            assertThat(s.send(new Compound().destroySession(s.sessionId())).status()).isEqualTo(NfsStatus.BADSESSION);
            assertThat(s.send(new Compound().destroyClientId(s.clientId())).status()).isEqualTo(NfsStatus.OK);
            assertThat(s.send(new Compound().destroyClientId(s.clientId())).status())
                    .isEqualTo(NfsStatus.STALE_CLIENTID);
        } finally {
            s.rpc().close();
        }
    }

    @Test
    void destroyingTheCompoundsOwnSessionBeforeItsLastOperationAnswersNotOnlyOpAndKeepsTheSession() {
        NfsSession s = server.session(Cred.root());
        try {
            // RFC 8881 section 18.37.3 (pynfs DSESS9004)
            CompoundReply r = s.compound(c -> c.destroySession(s.sessionId()).putrootfh());
            assertThat(r.status()).isEqualTo(NfsStatus.NOT_ONLY_OP);
            assertThat(s.compound(c -> c.putrootfh()).status()).as("the session lives on").isEqualTo(NfsStatus.OK);
            assertThat(s.compound(c -> c.destroySession(s.sessionId())).status()).as("as the last operation")
                    .isEqualTo(NfsStatus.OK);
        } finally {
            s.rpc().close();
        }
    }

    @Test
    void secondReclaimCompleteAnswersCompleteAlready() {
        assertThat(root.compound(c -> c.reclaimComplete(false)).status()).isEqualTo(NfsStatus.COMPLETE_ALREADY);
        assertThat(root.compound(c -> c.reclaimComplete(true)).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void exchangeIdWithUnknownFlagsAnswersInval() {
        CompoundReply r = root.send(new Compound().exchangeId(new byte[8], "flags".getBytes(), 0x00800000));
        assertThat(r.status()).isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void exchangeIdAgainWithTheSameVerifierReturnsTheSameConfirmedClient() {
        byte[] owner = ("same-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        byte[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        Res.ExchangeId first = root.send(new Compound().exchangeId(v, owner, 0)).orThrow()
                .body(Op.EXCHANGE_ID, Res.ExchangeId.class);
        long a = first.clientId();
        long unconfirmedAgain = root.send(new Compound().exchangeId(v, owner, 0)).orThrow()
                .body(Op.EXCHANGE_ID, Res.ExchangeId.class).clientId();
        assertThat(unconfirmedAgain).as("an unconfirmed record is replaced (RFC 8881 18.35.4 case 4)").isNotEqualTo(a);
        a = unconfirmedAgain;
        root.send(new Compound().createSession(a, 1, 0, 4, 0)).orThrow();
        long b = root.send(new Compound().exchangeId(v, owner, 0)).orThrow()
                .body(Op.EXCHANGE_ID, Res.ExchangeId.class).clientId();
        long c = root.send(new Compound().exchangeId(new byte[8], owner, 0)).orThrow()
                .body(Op.EXCHANGE_ID, Res.ExchangeId.class).clientId();
        assertThat(b).isEqualTo(a);
        assertThat(c).as("a new verifier means the client rebooted").isNotEqualTo(a);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void callbacksCarryTheMinorVersionTheSessionWasCreatedWith(int minor) throws Exception {
        try (NfsSession s = NfsSession.establish(server.connect(), Cred.root(), "cb-minor-" + minor, true, minor)) {
            long deadline = System.currentTimeMillis() + 20_000;
            while (s.rpc().cbSequenceCalls() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(s.rpc().cbMinorVersion()).isEqualTo(minor);
        }
    }

    @Test
    void backChannelCallsAreAnsweredByTheClient() throws Exception {
        NfsSession s = server.session(Cred.root());
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (s.rpc().cbSequenceCalls() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(s.rpc().cbNullCalls()).isEqualTo(1);
            assertThat(s.rpc().cbSequenceCalls()).isEqualTo(1);
            // the server saw the back channel answer: SEQUENCE reports no callback path trouble
            Res.Sequence seq = s.compound(c -> c.putrootfh()).orThrow().body(Op.SEQUENCE, Res.Sequence.class);
            assertThat(seq.flags()).isZero();
        } finally {
            s.close();
        }
    }

    @Test
    void bindConnToSessionLetsASecondConnectionUseTheSession() {
        try (RpcClient second = server.connect()) {
            CompoundReply b = NfsSession.send(second, Cred.root(), new Compound().bindConnToSession(root.sessionId(),
                    3));
            assertThat(b.status()).isEqualTo(NfsStatus.OK);
            assertThat(b.body(Op.BIND_CONN_TO_SESSION, Res.BindConn.class).dir()).isEqualTo(3);
            int slot = 4;
            int seq = root.reserveSlot(slot);
            try {
                CompoundReply r = NfsSession.send(second, Cred.root(), root.sequenced(slot, seq, c -> c.putrootfh()));
                assertThat(r.status()).isEqualTo(NfsStatus.OK);
            } finally {
                root.releaseSlot(slot, seq);
            }
            assertThat(NfsSession.send(second, Cred.root(), new Compound().bindConnToSession(new byte[16], 1))
                    .status()).isEqualTo(NfsStatus.BADSESSION);
        }
    }

    @Test
    void manyCompoundsInFlightOnOneConnectionAllComplete() {
        List<CompletableFuture<CompoundReply>> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String name = "f" + i;
            all.add(CompletableFuture.supplyAsync(() -> root.compound(c -> c.putfh(dirFh).mkdir(name, Attrs.none()))));
        }
        for (CompletableFuture<CompoundReply> f : all) {
            assertThat(f.join().status()).isEqualTo(NfsStatus.OK);
        }
        assertThat(dir.toFile().list()).hasSize(64);
    }
}
