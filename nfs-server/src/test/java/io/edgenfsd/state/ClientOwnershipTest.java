package io.edgenfsd.state;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.Compound;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.RpcClient;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.ops.ProtocolTestBase;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client's attempts on another's client record, sessions and state (RFC 8881 sections 18.34-18.37,
 * 18.50, 2.10.6.1): each is refused with the RFC's status, and the victim keeps its session, its open and
 * its lock. The same operations by the victim's own principal (a reboot, a second connection) still work.
 */
class ClientOwnershipTest extends ProtocolTestBase {
    private static final Cred VICTIM = Cred.sysOn("victim-node", 0, 0);
    private static final Cred ATTACKER = Cred.sysOn("attacker-node", 1000, 1000);
    private static final byte[] LOCK_OWNER = "victim-lock-owner".getBytes(StandardCharsets.UTF_8);

    private String ownerName;
    private NfsSession victim;
    private NfsSession.OpenFile file;
    private Stateid lock;
    private RpcClient attackerConnection;

    @BeforeEach
    void victimWithAnOpenAndALock() {
        ownerName = "victim-" + ThreadLocalRandom.current().nextLong();
        victim = NfsSession.establish(server.connect(), VICTIM, ownerName);
        file = victim.create(dirFh, "held", Attrs.none());
        CompoundReply l = victim.compound(c -> c.putfh(file.fh()).lockNew(Op.WRITE_LT, 0, 100, file.stateid(),
                victim.clientId(), LOCK_OWNER)).orThrow();
        lock = l.body(Op.LOCK, Stateid.class);
        attackerConnection = server.connect();
    }

    @AfterEach
    void closeClients() {
        attackerConnection.close();
        victim.close();
    }

    private CompoundReply asAttacker(Compound c) {
        return NfsSession.send(attackerConnection, ATTACKER, c);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] verifier() {
        byte[] v = new byte[8];
        ThreadLocalRandom.current().nextBytes(v);
        return v;
    }

    /** The victim's session answers, its open and lock stateids are valid, and its lock still excludes others. */
    private void assertVictimKeepsEverything() {
        CompoundReply t = victim.compound(c -> c.testStateid(file.stateid(), lock));
        assertThat(t.status()).as(t.toString()).isEqualTo(NfsStatus.OK);
        assertThat(t.body(Op.TEST_STATEID, int[].class)).containsExactly(0, 0);
        NfsSession other = session(Cred.root());
        NfsSession.OpenFile theirs = other.open(dirFh, "held", Op.ACCESS_BOTH, Op.DENY_NONE);
        CompoundReply denied = other.compound(c -> c.putfh(theirs.fh()).lockNew(Op.WRITE_LT, 10, 1, theirs.stateid(),
                other.clientId(), "someone-else".getBytes(StandardCharsets.UTF_8)));
        assertThat(denied.status()).as("the victim's lock is still held").isEqualTo(NfsStatus.DENIED);
        other.close(theirs);
    }

    @Test
    void exchangeIdWithAnotherPrincipalsOwnerStringAnswersClidInuseAndDoesNotRebootTheVictim() {
        CompoundReply r = asAttacker(new Compound().exchangeId(verifier(), ownerName.getBytes(StandardCharsets.UTF_8),
                0));
        assertThat(r.status()).isEqualTo(NfsStatus.CLID_INUSE);
        // and once more, as a "confirming" CREATE_SESSION would follow: nothing to confirm
        assertThat(asAttacker(new Compound().exchangeId(verifier(), ownerName.getBytes(StandardCharsets.UTF_8), 0))
                .status()).isEqualTo(NfsStatus.CLID_INUSE);
        assertVictimKeepsEverything();
    }

    @Test
    void exchangeIdUpdateByAnotherPrincipalAnswersPerm() {
        CompoundReply r = asAttacker(new Compound().exchangeId(verifier(), ownerName.getBytes(StandardCharsets.UTF_8),
                0x40000000));
        assertThat(r.status()).isIn(NfsStatus.PERM, NfsStatus.NOT_SAME);
        assertVictimKeepsEverything();
    }

    /**
     * Without SP4_MACH_CRED a retransmission is answered from the cache whoever sends it (RFC 8881 18.36.4, as
     * knfsd does): an AUTH_SYS principal is only a claim, so the guard is the client id, which no other client
     * is ever shown. The replay changes nothing: no new session, the victim keeps everything.
     */
    @Test
    void createSessionReplayFromAnotherPrincipalGetsTheCachedReplyAndChangesNothing() {
        int original = 1; // the victim's CREATE_SESSION used the sequence id EXCHANGE_ID returned: 1
        CompoundReply replay = asAttacker(new Compound().createSession(victim.clientId(), original, 0, 4, 0));
        assertThat(replay.status()).as(replay.toString()).isEqualTo(NfsStatus.OK);
        assertThat(replay.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId()).isEqualTo(victim.sessionId());
        CompoundReply own = victim.send(new Compound().createSession(victim.clientId(), original,
                NfsSession.CREATE_SESSION_FLAG_CONN_BACK_CHAN, 16, NfsSession.CB_PROGRAM));
        assertThat(own.status()).as(own.toString()).isEqualTo(NfsStatus.OK);
        assertThat(own.body(Op.CREATE_SESSION, Res.CreateSession.class).sessionId()).isEqualTo(victim.sessionId());
        assertVictimKeepsEverything();
    }

    @Test
    void createSessionOnAnUnconfirmedClientIdByAnotherPrincipalAnswersClidInuse() {
        Res.ExchangeId eid = NfsSession.send(attackerConnection, VICTIM, new Compound().exchangeId(verifier(),
                ("unconfirmed-" + ownerName).getBytes(StandardCharsets.UTF_8), 0)).body(Op.EXCHANGE_ID,
                Res.ExchangeId.class);
        assertThat(asAttacker(new Compound().createSession(eid.clientId(), eid.seq(), 0, 4, 0)).status())
                .isEqualTo(NfsStatus.CLID_INUSE);
    }

    @Test
    void aDeniedLockNamesAnotherClientsOwnerWithClientIdZero() {
        NfsSession other = session(ATTACKER);
        CompoundReply denied = other.compound(c -> c.putfh(file.fh()).lockt(Op.WRITE_LT, 0, 10, other.clientId(),
                "probe".getBytes(StandardCharsets.UTF_8)));
        assertThat(denied.status()).isEqualTo(NfsStatus.DENIED);
        byte[] wire = denied.rpc().afterXid();
        byte[] victimId = java.nio.ByteBuffer.allocate(8).putLong(victim.clientId()).array();
        assertThat(contains(wire, victimId)).as("the victim's client id is not in the reply").isFalse();
        assertThat(contains(wire, LOCK_OWNER)).as("the holder's owner is").isTrue();
    }

    @Test
    void destroySessionByAnotherPrincipalAnswersWrongCredEvenOnAConnectionBoundBySequence() {
        assertThat(asAttacker(new Compound().destroySession(victim.sessionId())).status())
                .isEqualTo(NfsStatus.WRONG_CRED);
        // SEQUENCE from anyone binds a connection under SP4_NONE (18.34.3); destroying still needs the owner
        int slot = victim.slots() - 1;
        int seq = victim.reserveSlot(slot);
        try {
            CompoundReply s = asAttacker(new Compound().sequence(victim.sessionId(), seq, slot, slot, false)
                    .destroySession(victim.sessionId()));
            assertThat(s.get(0).status()).isEqualTo(NfsStatus.OK);
            assertThat(s.status()).isEqualTo(NfsStatus.WRONG_CRED);
        } finally {
            victim.releaseSlot(slot, seq);
        }
        assertVictimKeepsEverything();
    }

    @Test
    void destroySessionByTheOwnerNeedsABoundConnection() {
        NfsSession second = NfsSession.establish(server.connect(), VICTIM, ownerName + "-2");
        RpcClient extra = server.connect();
        try {
            assertThat(NfsSession.send(extra, VICTIM, new Compound().destroySession(second.sessionId())).status())
                    .isEqualTo(NfsStatus.CONN_NOT_BOUND_TO_SESSION);
            CompoundReply b = NfsSession.send(extra, VICTIM, new Compound().bindConnToSession(second.sessionId(), 1));
            assertThat(b.status()).as(b.toString()).isEqualTo(NfsStatus.OK);
            assertThat(NfsSession.send(extra, VICTIM, new Compound().destroySession(second.sessionId())).status())
                    .isEqualTo(NfsStatus.OK);
            assertThat(second.compound(c -> c.putrootfh()).status()).isEqualTo(NfsStatus.BADSESSION);
        } finally {
            extra.close();
            second.rpc().close();
        }
    }

    @Test
    void bindConnToSessionByAnotherPrincipalAnswersWrongCredAndTheOwnersSecondConnectionIsTrunked() {
        CompoundReply r = asAttacker(new Compound().bindConnToSession(victim.sessionId(), 3));
        assertThat(r.status()).isEqualTo(NfsStatus.WRONG_CRED);
        RpcClient second = server.connect();
        try {
            CompoundReply b = NfsSession.send(second, VICTIM, new Compound().bindConnToSession(victim.sessionId(), 1));
            assertThat(b.status()).as(b.toString()).isEqualTo(NfsStatus.OK);
            int slot = victim.slots() - 1;
            int seq = victim.reserveSlot(slot);
            try {
                CompoundReply s = NfsSession.send(second, VICTIM, new Compound().sequence(victim.sessionId(), seq, slot,
                        slot, false).putfh(file.fh()).getattr(Fattr.SIZE));
                assertThat(s.status()).as(s.toString()).isEqualTo(NfsStatus.OK);
            } finally {
                victim.releaseSlot(slot, seq);
            }
        } finally {
            second.close();
        }
        assertVictimKeepsEverything();
    }

    @Test
    void destroyClientIdByAnotherPrincipalAnswersWrongCred() {
        assertThat(asAttacker(new Compound().destroyClientId(victim.clientId())).status())
                .isEqualTo(NfsStatus.WRONG_CRED);
        assertThat(victim.send(new Compound().destroyClientId(victim.clientId())).status())
                .as("the owner is told it still has state").isEqualTo(NfsStatus.CLIENTID_BUSY);
        assertVictimKeepsEverything();
    }

    @Test
    void retransmissionOfAnotherPrincipalsSlotAnswersFalseRetryAndNotTheCachedReply() {
        int slot = victim.slots() - 1;
        int seq = victim.reserveSlot(slot);
        try {
            byte[] args = victim.sequenced(slot, seq, c -> c.putfh(file.fh()).getattr(Fattr.SIZE, Fattr.OWNER))
                    .encode();
            CompoundReply first = CompoundReply.decode(victim.sendArgs(args));
            assertThat(first.status()).isEqualTo(NfsStatus.OK);
            CompoundReply stolen = CompoundReply.decode(attackerConnection.call(RpcClient.NFS_PROGRAM,
                    RpcClient.NFS_VERSION, RpcClient.PROC_COMPOUND, ATTACKER, args));
            assertThat(stolen.status()).isEqualTo(NfsStatus.SEQ_FALSE_RETRY);
            assertThat(stolen.results()).hasSize(1);
            CompoundReply own = CompoundReply.decode(victim.sendArgs(args));
            assertThat(own.status()).as("the owner's retransmission is replayed").isEqualTo(NfsStatus.OK);
            assertThat(own.rpc().afterXid()).isEqualTo(first.rpc().afterXid());
        } finally {
            victim.releaseSlot(slot, seq);
        }
        assertVictimKeepsEverything();
    }

    @Test
    void otherUsersOfTheSameMachineMaySendOrdinaryCompoundsOnTheSession() {
        Cred user = Cred.sysOn("victim-node", 1000, 1000);
        int slot = victim.slots() - 1;
        int seq = victim.reserveSlot(slot);
        try {
            CompoundReply r = NfsSession.send(victim.rpc(), user, new Compound().sequence(victim.sessionId(), seq,
                    slot, slot, false).putfh(file.fh()).getattr(Fattr.SIZE));
            assertThat(r.status()).as(r.toString()).isEqualTo(NfsStatus.OK);
        } finally {
            victim.releaseSlot(slot, seq);
        }
        assertVictimKeepsEverything();
    }

    @Test
    void theSamePrincipalRebootingGetsANewClientAndItsOldStateGoesOnlyOnceTheNewOneIsConfirmed() {
        byte[] owner = ownerName.getBytes(StandardCharsets.UTF_8);
        CompoundReply ex = victim.send(new Compound().exchangeId(verifier(), owner, 0));
        assertThat(ex.status()).as(ex.toString()).isEqualTo(NfsStatus.OK);
        Res.ExchangeId eid = ex.body(Op.EXCHANGE_ID, Res.ExchangeId.class);
        assertThat(eid.clientId()).isNotEqualTo(victim.clientId());
        assertThat(victim.compound(c -> c.putrootfh()).status()).as("old session until confirmed")
                .isEqualTo(NfsStatus.OK);
        CompoundReply cs = victim.send(new Compound().createSession(eid.clientId(), eid.seq(), 0, 4, 0));
        assertThat(cs.status()).as(cs.toString()).isEqualTo(NfsStatus.OK);
        assertThat(victim.compound(c -> c.putrootfh()).status()).isEqualTo(NfsStatus.BADSESSION);
        NfsSession other = session(Cred.root());
        NfsSession.OpenFile theirs = other.open(dirFh, "held", Op.ACCESS_BOTH, Op.DENY_NONE);
        assertThat(other.compound(c -> c.putfh(theirs.fh()).lockNew(Op.WRITE_LT, 10, 1, theirs.stateid(),
                other.clientId(), "someone-else".getBytes(StandardCharsets.UTF_8))).status())
                .as("the rebooted client's old lock is gone").isEqualTo(NfsStatus.OK);
    }

    @Test
    void anotherPrincipalMayTakeOverAnOwnerStringWhoseRecordHoldsNoState() {
        String name = "stateless-" + ThreadLocalRandom.current().nextLong();
        NfsSession idle = NfsSession.establish(server.connect(), VICTIM, name);
        assertThat(idle.send(new Compound().destroySession(idle.sessionId())).status()).isEqualTo(NfsStatus.OK);
        CompoundReply r = asAttacker(new Compound().exchangeId(verifier(), name.getBytes(StandardCharsets.UTF_8), 0));
        assertThat(r.status()).as("18.35.4 case 3 without state is case 1").isEqualTo(NfsStatus.OK);
        assertThat(r.body(Op.EXCHANGE_ID, Res.ExchangeId.class).clientId()).isNotEqualTo(idle.clientId());
        assertThat(idle.send(new Compound().createSession(idle.clientId(), 2, 0, 4, 0)).status())
                .isEqualTo(NfsStatus.STALE_CLIENTID);
        idle.rpc().close();
    }
}
