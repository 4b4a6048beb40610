package io.edgenfsd.state;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.ops.ProtocolTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LOCK, LOCKT, LOCKU, TEST_STATEID, FREE_STATEID, DELEGRETURN between two clients (RFC 8881 18.10-18.12). */
class LockAndStateidTest extends ProtocolTestBase {
    private static final byte[] OWNER_A = "lock-owner-a".getBytes();
    private static final byte[] OWNER_B = "lock-owner-b".getBytes();
    private NfsSession other;
    private NfsSession.OpenFile mine;
    private NfsSession.OpenFile theirs;

    @BeforeEach
    void openFromBothClients() {
        other = session(Cred.root());
        mine = root.create(dirFh, "locked", Attrs.none());
        theirs = other.open(dirFh, "locked", Op.ACCESS_BOTH, Op.DENY_NONE);
    }

    private Stateid lock(NfsSession s, NfsSession.OpenFile f, byte[] owner, int type, long off, long len) {
        CompoundReply r = s.compound(c -> c.putfh(f.fh()).lockNew(type, off, len, f.stateid(), s.clientId(), owner));
        assertThat(r.status()).as(r.toString()).isEqualTo(NfsStatus.OK);
        return r.body(Op.LOCK, Stateid.class);
    }

    private CompoundReply tryLock(NfsSession s, NfsSession.OpenFile f, byte[] owner, int type, long off, long len) {
        return s.compound(c -> c.putfh(f.fh()).lockNew(type, off, len, f.stateid(), s.clientId(), owner));
    }

    @Test
    void conflictingLockAnswersDeniedWithTheHoldersRange() {
        lock(root, mine, OWNER_A, Op.WRITE_LT, 100, 50);
        CompoundReply r = tryLock(other, theirs, OWNER_B, Op.WRITE_LT, 120, 10);
        assertThat(r.status()).isEqualTo(NfsStatus.DENIED);
        Res.LockDenied d = r.body(Op.LOCK, Res.LockDenied.class);
        assertThat(d.offset()).isEqualTo(100);
        assertThat(d.length()).isEqualTo(50);
        assertThat(d.type()).isEqualTo(Op.WRITE_LT);
        assertThat(d.clientId()).isEqualTo(root.clientId());
        assertThat(d.owner()).isEqualTo(OWNER_A);
        assertThat(tryLock(other, theirs, OWNER_B, Op.WRITE_LT, 150, 10).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void readLocksAreSharedButExcludeWriters() {
        lock(root, mine, OWNER_A, Op.READ_LT, 0, 10);
        lock(other, theirs, OWNER_B, Op.READ_LT, 5, 10);
        assertThat(tryLock(other, theirs, "owner-c".getBytes(), Op.WRITEW_LT, 0, 1).status())
                .isEqualTo(NfsStatus.DENIED);
    }

    @Test
    void locktReportsConflictsWithoutTakingALock() {
        lock(root, mine, OWNER_A, Op.WRITE_LT, 0, -1L);
        CompoundReply t = other.compound(c -> c.putfh(theirs.fh()).lockt(Op.READ_LT, 1000, 1, other.clientId(),
                OWNER_B));
        assertThat(t.status()).isEqualTo(NfsStatus.DENIED);
        Res.LockDenied d = t.body(Op.LOCKT, Res.LockDenied.class);
        assertThat(d.length()).as("to end of file").isEqualTo(-1L);
        assertThat(root.compound(c -> c.putfh(mine.fh()).lockt(Op.WRITE_LT, 0, 10, root.clientId(), OWNER_A))
                .status()).as("own locks never conflict").isEqualTo(NfsStatus.OK);
        assertThat(root.compound(c -> c.putfh(dirFh).lockt(Op.WRITE_LT, 0, 10, root.clientId(), OWNER_A))
                .status()).isEqualTo(NfsStatus.ISDIR);
    }

    @Test
    void lockuReleasesTheRangeAndBumpsTheLockStateid() {
        Stateid l = lock(root, mine, OWNER_A, Op.WRITE_LT, 0, 100);
        CompoundReply u = root.compound(c -> c.putfh(mine.fh()).locku(Op.WRITE_LT, l, 0, 100));
        assertThat(u.status()).isEqualTo(NfsStatus.OK);
        assertThat(u.body(Op.LOCKU, Stateid.class).seqid()).isEqualTo(l.seqid() + 1);
        assertThat(tryLock(other, theirs, OWNER_B, Op.WRITE_LT, 0, 100).status()).isEqualTo(NfsStatus.OK);
        assertThat(root.compound(c -> c.putfh(mine.fh()).locku(Op.WRITE_LT, mine.stateid(), 0, 1)).status())
                .as("LOCKU needs a lock stateid").isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void unlockingTheMiddleSplitsALockAndUpgradingExtendsIt() {
        Stateid l = lock(root, mine, OWNER_A, Op.READ_LT, 0, 100);
        Stateid up = root.compound(c -> c.putfh(mine.fh()).lockExisting(Op.WRITE_LT, 0, 100, l)).orThrow()
                .body(Op.LOCK, Stateid.class);
        assertThat(tryLock(other, theirs, OWNER_B, Op.READ_LT, 10, 1).status()).as("upgraded to write")
                .isEqualTo(NfsStatus.DENIED);
        root.compound(c -> c.putfh(mine.fh()).locku(Op.WRITE_LT, up, 40, 20)).orThrow();
        assertThat(tryLock(other, theirs, OWNER_B, Op.WRITE_LT, 40, 20).status()).isEqualTo(NfsStatus.OK);
        assertThat(tryLock(other, theirs, "b2".getBytes(), Op.WRITE_LT, 0, 10).status()).isEqualTo(NfsStatus.DENIED);
        assertThat(tryLock(other, theirs, "b3".getBytes(), Op.WRITE_LT, 90, 10).status()).isEqualTo(NfsStatus.DENIED);
    }

    @Test
    void closeWithLocksHeldAnswersLocksHeldUntilTheyAreReleased() {
        Stateid l = lock(root, mine, OWNER_A, Op.WRITE_LT, 0, 10);
        assertThat(root.compound(c -> c.putfh(mine.fh()).close(mine.stateid())).status())
                .isEqualTo(NfsStatus.LOCKS_HELD);
        root.compound(c -> c.putfh(mine.fh()).locku(Op.WRITE_LT, l, 0, 10)).orThrow();
        assertThat(root.compound(c -> c.putfh(mine.fh()).close(mine.stateid())).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void writeLockOnAReadOnlyOpenAnswersOpenmode() {
        NfsSession third = session(Cred.root());
        NfsSession.OpenFile ro = third.open(dirFh, "locked", Op.ACCESS_READ, 0);
        assertThat(tryLock(third, ro, OWNER_B, Op.WRITE_LT, 0, 1).status()).isEqualTo(NfsStatus.OPENMODE);
        assertThat(tryLock(third, ro, OWNER_B, Op.READ_LT, 0, 1).status()).isEqualTo(NfsStatus.OK);
    }

    @Test
    void invalidLockArgumentsAnswerInval() {
        assertThat(tryLock(root, mine, OWNER_A, Op.WRITE_LT, 0, 0).status()).isEqualTo(NfsStatus.INVAL);
        assertThat(tryLock(root, mine, OWNER_A, 9, 0, 1).status()).isEqualTo(NfsStatus.INVAL);
        assertThat(tryLock(root, mine, OWNER_A, Op.WRITE_LT, -10, 20).status()).isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void lockWithAStateidOfAnotherClientOrFileIsRefused() {
        assertThat(root.compound(c -> c.putfh(mine.fh()).lockNew(Op.READ_LT, 0, 1, theirs.stateid(),
                root.clientId(), OWNER_A)).status()).isEqualTo(NfsStatus.BAD_STATEID);
        // the lock owner's clientid is ignored in 4.1 (RFC 8881 18.10.3): the lock is the session's client's
        assertThat(root.compound(c -> c.putfh(mine.fh()).lockNew(Op.READ_LT, 0, 1, mine.stateid(),
                other.clientId(), OWNER_A)).status()).isEqualTo(NfsStatus.OK);
        NfsSession.OpenFile second = root.create(dirFh, "second", Attrs.none());
        assertThat(root.compound(c -> c.putfh(second.fh()).lockNew(Op.READ_LT, 0, 1, mine.stateid(),
                root.clientId(), OWNER_A)).status()).isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void testStateidReportsEachStateidsStatus() {
        Stateid l = lock(root, mine, OWNER_A, Op.READ_LT, 0, 1);
        NfsSession.OpenFile gone = root.create(dirFh, "gone", Attrs.none());
        root.close(gone);
        CompoundReply r = root.compound(c -> c.testStateid(mine.stateid(), l, gone.stateid(), Stateid.ANONYMOUS,
                theirs.stateid(), mine.stateid().withSeqid(mine.stateid().seqid() + 3)));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(r.body(Op.TEST_STATEID, int[].class)).containsExactly(0, 0, NfsStatus.BAD_STATEID.code,
                NfsStatus.BAD_STATEID.code, NfsStatus.BAD_STATEID.code, NfsStatus.BAD_STATEID.code);
    }

    @Test
    void freeStateidRefusesStateThatStillHoldsLocksAndFreesTheRest() {
        Stateid l = lock(root, mine, OWNER_A, Op.READ_LT, 0, 1);
        assertThat(root.compound(c -> c.freeStateid(l)).status()).isEqualTo(NfsStatus.LOCKS_HELD);
        assertThat(root.compound(c -> c.freeStateid(mine.stateid())).status()).isEqualTo(NfsStatus.LOCKS_HELD);
        Stateid u = root.compound(c -> c.putfh(mine.fh()).locku(Op.READ_LT, l, 0, 1)).orThrow()
                .body(Op.LOCKU, Stateid.class);
        assertThat(root.compound(c -> c.freeStateid(u)).status()).isEqualTo(NfsStatus.OK);
        assertThat(root.compound(c -> c.testStateid(u)).body(Op.TEST_STATEID, int[].class))
                .containsExactly(NfsStatus.BAD_STATEID.code);
        assertThat(root.compound(c -> c.freeStateid(u)).status()).isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void lateFreeStateidOfAnEarlierIncarnationDoesNotFreeTheLockStateTheOwnerGotBack() {
        // the Linux client frees its lock state after the last unlock and, for the next lock, asks again as a
        // new lock owner; the server hands back the same lock state. The FREE_STATEID of the first
        // incarnation can arrive after that: it names an old seqid and must not free the live state.
        Stateid first = lock(root, mine, OWNER_A, Op.WRITE_LT, 0, 10);
        Stateid unlocked = root.compound(c -> c.putfh(mine.fh()).locku(Op.WRITE_LT, first, 0, 10)).orThrow()
                .body(Op.LOCKU, Stateid.class);
        Stateid again = lock(root, mine, OWNER_A, Op.WRITE_LT, 0, 10);
        assertThat(again.other()).isEqualTo(unlocked.other());
        Stateid unlockedAgain = root.compound(c -> c.putfh(mine.fh()).locku(Op.WRITE_LT, again, 0, 10)).orThrow()
                .body(Op.LOCKU, Stateid.class);
        assertThat(root.compound(c -> c.freeStateid(unlocked)).status()).isEqualTo(NfsStatus.OLD_STATEID);
        Stateid third = root.compound(c -> c.putfh(mine.fh()).lockExisting(Op.WRITE_LT, 0, 10, unlockedAgain))
                .orThrow().body(Op.LOCK, Stateid.class);
        assertThat(third.other()).isEqualTo(unlocked.other());
    }

    @Test
    void delegreturnAnswersBadStateidBecauseNoDelegationIsEverGranted() {
        assertThat(root.compound(c -> c.putfh(mine.fh()).delegreturn(mine.stateid())).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void closingAnOpenReleasesItsLocksForOtherClientsAfterUnlock() {
        Stateid l = lock(other, theirs, OWNER_B, Op.WRITE_LT, 0, 10);
        assertThat(tryLock(root, mine, OWNER_A, Op.WRITE_LT, 0, 10).status()).isEqualTo(NfsStatus.DENIED);
        other.compound(c -> c.putfh(theirs.fh()).locku(Op.WRITE_LT, l, 0, 10)).orThrow();
        other.close(theirs);
        assertThat(tryLock(root, mine, OWNER_A, Op.WRITE_LT, 0, 10).status()).isEqualTo(NfsStatus.OK);
    }
}
