package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** READ, WRITE and COMMIT with their stateid checks (RFC 8881 sections 18.22, 18.32, 18.3, 8.2). */
class ReadWriteTest extends ProtocolTestBase {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void largeReadAsLastOperationReturnsExactlyTheFileData() throws Exception {
        byte[] data = random(300_000, 1);
        Files.write(dir.resolve("big"), data);
        NfsSession.OpenFile f = root.open(dirFh, "big", Op.ACCESS_READ, 0);
        Res.Read r = root.read(f, 1000, 200_000);
        assertThat(r.eof()).isFalse();
        assertThat(r.data()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 201_000));
        Res.Read tail = root.read(f, 250_000, 100_000);
        assertThat(tail.eof()).isTrue();
        assertThat(tail.data()).hasSize(50_000);
        root.close(f);
    }

    @Test
    void readFollowedByAnotherOperationCarriesTheDataInline() throws Exception {
        byte[] data = random(40_000, 2);
        Files.write(dir.resolve("mid"), data);
        NfsSession.OpenFile f = root.open(dirFh, "mid", Op.ACCESS_READ, 0);
        CompoundReply r = root.compound(c -> c.putfh(f.fh()).read(f.stateid(), 0, 40_000).getattr(Fattr.SIZE))
                .orThrow();
        assertThat(r.body(Op.READ, Res.Read.class).data()).isEqualTo(data);
        assertThat(r.body(Op.GETATTR, Fattr.class).size()).isEqualTo(40_000);
    }

    @Test
    void readAtOrBeyondEndOfFileReturnsNoDataAndEof() throws Exception {
        Files.writeString(dir.resolve("small"), "abc");
        NfsSession.OpenFile f = root.open(dirFh, "small", Op.ACCESS_READ, 0);
        Res.Read r = root.read(f, 3, 10);
        assertThat(r.eof()).isTrue();
        assertThat(r.data()).isEmpty();
        assertThat(root.read(f, 1L << 40, 10).data()).isEmpty();
    }

    @Test
    void writeThenReadBackWithEachStability() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "w", Attrs.none());
        Res.Write a = root.write(f, 0, "aaaa".getBytes(), Op.UNSTABLE);
        Res.Write b = root.write(f, 4, "bbbb".getBytes(), Op.DATA_SYNC);
        Res.Write c = root.write(f, 8, "cccc".getBytes(), Op.FILE_SYNC);
        assertThat(a.committed()).isEqualTo(Op.UNSTABLE);
        assertThat(b.committed()).isEqualTo(Op.DATA_SYNC);
        assertThat(c.committed()).isEqualTo(Op.FILE_SYNC);
        assertThat(a.verifier()).isEqualTo(b.verifier()).isEqualTo(c.verifier());
        byte[] commitVerifier = root.compound(x -> x.putfh(f.fh()).commit(0, 0)).orThrow().body(Op.COMMIT,
                byte[].class);
        assertThat(commitVerifier).isEqualTo(a.verifier());
        assertThat(Files.readString(dir.resolve("w"))).isEqualTo("aaaabbbbcccc");
        assertThat(new String(root.read(f, 0, 100).data())).isEqualTo("aaaabbbbcccc");
    }

    @Test
    void writeBeyondTheEndLeavesAHole() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "hole", Attrs.none());
        root.write(f, 5_000_000_000L, new byte[] {7}, Op.FILE_SYNC);
        assertThat(Files.size(dir.resolve("hole"))).isEqualTo(5_000_000_001L);
    }

    @Test
    void readAndWriteWithAClosedStateidAnswerBadStateid() {
        NfsSession.OpenFile f = root.create(dirFh, "closed", Attrs.none());
        root.close(f);
        assertThat(root.compound(c -> c.putfh(f.fh()).read(f.stateid(), 0, 1)).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
        assertThat(root.compound(c -> c.putfh(f.fh()).write(f.stateid(), 0, Op.UNSTABLE, new byte[1])).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void anOlderSeqidAnswersOldStateidAndAFutureOneBadStateid() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "old", Attrs.none());
        // a second OPEN by the same owner upgrades the open and bumps its seqid
        NfsSession.OpenFile g = root.open(dirFh, "old", Op.ACCESS_READ, 0);
        assertThat(g.stateid().seqid()).isEqualTo(f.stateid().seqid() + 1);
        assertThat(root.compound(c -> c.putfh(f.fh()).read(f.stateid(), 0, 1)).status())
                .isEqualTo(NfsStatus.OLD_STATEID);
        assertThat(root.compound(c -> c.putfh(f.fh()).read(g.stateid().withSeqid(g.stateid().seqid() + 5), 0, 1))
                .status()).isEqualTo(NfsStatus.BAD_STATEID);
        assertThat(root.compound(c -> c.putfh(f.fh()).read(g.stateid().withSeqid(0), 0, 1)).status())
                .as("seqid 0 means the current one").isEqualTo(NfsStatus.OK);
    }

    @Test
    void aMadeUpStateidAnswersBadOrStaleStateid() {
        NfsSession.OpenFile f = root.create(dirFh, "made", Attrs.none());
        byte[] other = f.stateid().other().clone();
        other[11] ^= 0x55;
        assertThat(root.compound(c -> c.putfh(f.fh()).read(new Stateid(1, other), 0, 1)).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
        byte[] epoch = f.stateid().other().clone();
        epoch[0] ^= 0x55;
        assertThat(root.compound(c -> c.putfh(f.fh()).read(new Stateid(1, epoch), 0, 1)).status())
                .isEqualTo(NfsStatus.STALE_STATEID);
    }

    @Test
    void aStateidOfAnotherFileAnswersBadStateid() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "one", Attrs.none());
        NfsSession.OpenFile g = root.create(dirFh, "two", Attrs.none());
        assertThat(root.compound(c -> c.putfh(g.fh()).read(f.stateid(), 0, 1)).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void aStateidOfAnotherClientAnswersBadStateid() {
        NfsSession.OpenFile f = root.create(dirFh, "theirs", Attrs.none());
        NfsSession other = session(Cred.root());
        assertThat(other.compound(c -> c.putfh(f.fh()).read(f.stateid(), 0, 1)).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
    }

    @Test
    void writeOnAnOpenForReadingAnswersOpenmode() throws Exception {
        Files.writeString(dir.resolve("r"), "");
        NfsSession.OpenFile f = root.open(dirFh, "r", Op.ACCESS_READ, 0);
        assertThat(root.compound(c -> c.putfh(f.fh()).write(f.stateid(), 0, Op.UNSTABLE, new byte[1])).status())
                .isEqualTo(NfsStatus.OPENMODE);
        assertThat(Files.size(dir.resolve("r"))).isZero();
    }

    @Test
    void writeOnAReadOnlyExportAnswersRofs() {
        byte[] fh = root.lookupPath(export("ro") + "/readme");
        assertThat(root.compound(c -> c.putfh(fh).write(Stateid.ANONYMOUS, 0, Op.FILE_SYNC, new byte[1])).status())
                .isEqualTo(NfsStatus.ROFS);
        assertThat(root.compound(c -> c.putfh(fh).read(Stateid.ANONYMOUS, 0, 100)).orThrow()
                .body(Op.READ, Res.Read.class).data()).isEqualTo("read only".getBytes());
    }

    @Test
    void anonymousAndBypassStateidsUseTheCallersPermissions() throws Exception {
        Files.writeString(dir.resolve("anon"), "0123");
        byte[] fh = root.lookup(dirFh, "anon");
        assertThat(root.compound(c -> c.putfh(fh).write(Stateid.ANONYMOUS, 4, Op.FILE_SYNC, "45".getBytes()))
                .status()).isEqualTo(NfsStatus.OK);
        assertThat(root.compound(c -> c.putfh(fh).read(Stateid.READ_BYPASS, 0, 10)).orThrow()
                .body(Op.READ, Res.Read.class).data()).isEqualTo("012345".getBytes());
        // section 8.2.3: in a WRITE the all-ones stateid "is treated like the anonymous value"
        assertThat(root.compound(c -> c.putfh(fh).write(Stateid.READ_BYPASS, 0, Op.FILE_SYNC, "x".getBytes()))
                .status()).isEqualTo(NfsStatus.OK);
        assertThat(Files.readString(dir.resolve("anon"))).isEqualTo("x12345");
        Files.setPosixFilePermissions(dir.resolve("anon"), java.nio.file.attribute.PosixFilePermissions
                .fromString("rw-------"));
        NfsSession user = session(Cred.sys(1000, 1000));
        assertThat(user.compound(c -> c.putfh(fh).read(Stateid.ANONYMOUS, 0, 10)).status())
                .isEqualTo(NfsStatus.ACCESS);
        assertThat(user.compound(c -> c.putfh(fh).write(Stateid.READ_BYPASS, 0, Op.FILE_SYNC, "y".getBytes()))
                .status()).isEqualTo(NfsStatus.ACCESS);
    }

    @Test
    void readAndWriteOfADirectoryAnswerIsdirAndOfASymlinkSymlink() throws Exception {
        Files.createSymbolicLink(dir.resolve("ln"), dir);
        byte[] ln = root.lookup(dirFh, "ln");
        assertThat(root.compound(c -> c.putfh(dirFh).read(Stateid.ANONYMOUS, 0, 1)).status())
                .isEqualTo(NfsStatus.ISDIR);
        assertThat(root.compound(c -> c.putfh(dirFh).write(Stateid.ANONYMOUS, 0, 0, new byte[1])).status())
                .isEqualTo(NfsStatus.ISDIR);
        assertThat(root.compound(c -> c.putfh(ln).read(Stateid.ANONYMOUS, 0, 1)).status())
                .isEqualTo(NfsStatus.SYMLINK);
        assertThat(root.compound(c -> c.putfh(dirFh).commit(0, 0)).status()).isEqualTo(NfsStatus.ISDIR);
        assertThat(root.compound(c -> c.putrootfh().read(Stateid.ANONYMOUS, 0, 1)).status())
                .isEqualTo(NfsStatus.ISDIR);
    }

    @Test
    void writeWithAnUnknownStabilityAnswersInval() {
        NfsSession.OpenFile f = root.create(dirFh, "stab", Attrs.none());
        assertThat(root.compound(c -> c.putfh(f.fh()).write(f.stateid(), 0, 3, new byte[1])).status())
                .isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void writeAtAnOffsetPastTheLargestFileSizeAnswersFbig() {
        NfsSession.OpenFile f = root.create(dirFh, "fbig", Attrs.none());
        assertThat(root.compound(c -> c.putfh(f.fh()).write(f.stateid(), Long.MAX_VALUE, 0, new byte[2])).status())
                .isEqualTo(NfsStatus.FBIG);
    }

    @Test
    void writeLargerThanMaxwriteIsRefusedAsBadXdr() {
        NfsSession.OpenFile f = root.create(dirFh, "huge", Attrs.none());
        CompoundReply r = root.compound(c -> c.putfh(f.fh()).write(f.stateid(), 0, 0, new byte[(1 << 20) + 1]));
        assertThat(r.status()).isEqualTo(NfsStatus.BADXDR);
    }
}
