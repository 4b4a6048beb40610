package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.Op;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** PUTROOTFH, PUTPUBFH, PUTFH, GETFH, LOOKUP, LOOKUPP, SECINFO, SECINFO_NO_NAME. */
class LookupAndHandlesTest extends ProtocolTestBase {

    private NfsStatus lookup(String name) {
        return root.compound(c -> c.putfh(dirFh).lookup(name)).status();
    }

    @Test
    void lookupFindsAnExistingFileAndItsHandleWorksLater() throws Exception {
        Files.writeString(dir.resolve("here"), "x");
        byte[] fh = root.lookup(dirFh, "here");
        assertThat(root.getattr(fh, Fattr.TYPE, Fattr.SIZE).size()).isEqualTo(1);
    }

    @Test
    void lookupOfAMissingNameAnswersNoent() {
        assertThat(lookup("missing")).isEqualTo(NfsStatus.NOENT);
    }

    @Test
    void lookupOfDotAndDotDotAnswersBadname() {
        assertThat(lookup(".")).isEqualTo(NfsStatus.BADNAME);
        assertThat(lookup("..")).isEqualTo(NfsStatus.BADNAME);
    }

    @Test
    void lookupOfANameWithSlashAnswersBadchar() {
        assertThat(lookup("a/b")).isEqualTo(NfsStatus.BADCHAR);
        assertThat(lookup("a\0b")).isEqualTo(NfsStatus.BADCHAR);
    }

    @Test
    void lookupOfAnEmptyNameAnswersInval() {
        assertThat(lookup("")).isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void lookupOfANameThatIsNotUtf8AnswersInval() {
        assertThat(root.compound(c -> c.putfh(dirFh).lookupBytes(new byte[] {(byte) 0xC3, 0x28})).status())
                .isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void lookupOfA256ByteNameAnswersNametoolong() {
        assertThat(lookup("n".repeat(256))).isEqualTo(NfsStatus.NAMETOOLONG);
    }

    @Test
    void lookupInsideARegularFileAnswersNotdir() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("file").lookup("x")).status())
                .isEqualTo(NfsStatus.NOTDIR);
    }

    @Test
    void lookupThroughASymlinkAnswersSymlink() throws Exception {
        Files.createSymbolicLink(dir.resolve("ln"), dir);
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("ln").lookup("x")).status())
                .isEqualTo(NfsStatus.SYMLINK);
    }

    @Test
    void lookuppGoesToTheParentAndFromAnExportRootIntoThePseudoFilesystem() {
        byte[] rw = root.lookupPath(export("rw"));
        CompoundReply r = root.compound(c -> c.putfh(dirFh).lookupp().getfh()).orThrow();
        assertThat(r.body(Op.GETFH, byte[].class)).isEqualTo(rw);
        byte[] exp = root.lookupPath(base.toString());
        assertThat(root.compound(c -> c.putfh(rw).lookupp().getfh()).orThrow().body(Op.GETFH, byte[].class))
                .isEqualTo(exp);
    }

    @Test
    void lookuppOfThePseudoRootAnswersNoent() {
        assertThat(root.compound(c -> c.putrootfh().lookupp()).status()).isEqualTo(NfsStatus.NOENT);
    }

    @Test
    void lookuppOfAFileAnswersNotdir() throws Exception {
        Files.writeString(dir.resolve("f"), "");
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("f").lookupp()).status()).isEqualTo(NfsStatus.NOTDIR);
    }

    @Test
    void lookuppOfASymlinkAnswersSymlink() throws Exception {
        Files.createSymbolicLink(dir.resolve("l"), Path.of("f"));
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("l").lookupp()).status()).isEqualTo(NfsStatus.SYMLINK);
    }

    @Test
    void putfhOfGarbageAnswersBadhandle() {
        byte[] junk = new byte[40];
        Arrays.fill(junk, (byte) 0x5A);
        assertThat(root.compound(c -> c.putfh(junk)).status()).isEqualTo(NfsStatus.BADHANDLE);
        assertThat(root.compound(c -> c.putfh(new byte[0])).status()).isEqualTo(NfsStatus.BADHANDLE);
    }

    @Test
    void putfhWithAFlippedMacByteAnswersBadhandle() {
        byte[] fh = dirFh.clone();
        fh[fh.length - 1] ^= 0x01;
        assertThat(root.compound(c -> c.putfh(fh)).status()).isEqualTo(NfsStatus.BADHANDLE);
        byte[] inner = dirFh.clone();
        inner[inner.length / 2] ^= 0x40;
        assertThat(root.compound(c -> c.putfh(inner)).status()).isIn(NfsStatus.BADHANDLE, NfsStatus.STALE);
    }

    @Test
    void putfhOfAHandleLongerThan128BytesIsRefused() {
        assertThat(root.compound(c -> c.putfh(new byte[129])).status()).isIn(NfsStatus.BADHANDLE, NfsStatus.BADXDR);
    }

    @Test
    void handleOfARemovedFileAnswersStale() throws Exception {
        Files.writeString(dir.resolve("gone"), "");
        byte[] fh = root.lookup(dirFh, "gone");
        Files.delete(dir.resolve("gone"));
        assertThat(root.compound(c -> c.putfh(fh).getattr(Fattr.TYPE)).status()).isEqualTo(NfsStatus.STALE);
    }

    @Test
    void handleSurvivesARenameOfItsFile() throws Exception {
        Files.writeString(dir.resolve("before"), "abc");
        byte[] fh = root.lookup(dirFh, "before");
        Files.move(dir.resolve("before"), dir.resolve("after"));
        assertThat(root.getattr(fh, Fattr.SIZE).size()).isEqualTo(3);
    }

    @Test
    void putpubfhIsThePseudoRoot() {
        byte[] rootFh = root.rootFh();
        assertThat(root.compound(c -> c.putpubfh().getfh()).orThrow().body(Op.GETFH, byte[].class))
                .isEqualTo(rootFh);
        assertThat(root.getattr(rootFh, Fattr.TYPE).type()).isEqualTo(Op.NF4DIR);
    }

    @Test
    void secinfoOffersAuthSysAndConsumesTheCurrentFilehandle() {
        CompoundReply r = root.compound(c -> c.putfh(dirFh).mkdir("d", Attrs.none()).putfh(dirFh).secinfo("d"));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(r.body(Op.SECINFO, int[].class)).containsExactly(1);
        assertThat(root.compound(c -> c.putfh(dirFh).secinfo("d").getfh()).status())
                .isEqualTo(NfsStatus.NOFILEHANDLE);
        assertThat(root.compound(c -> c.putfh(dirFh).secinfo("nope")).status()).isEqualTo(NfsStatus.NOENT);
    }

    @Test
    void secinfoNoNameOffersAuthSysAndRejectsAnUnknownStyle() {
        CompoundReply r = root.compound(c -> c.putrootfh().secinfoNoName(0));
        assertThat(r.body(Op.SECINFO_NO_NAME, int[].class)).containsExactly(1);
        assertThat(root.compound(c -> c.putrootfh().secinfoNoName(7)).status()).isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void secinfoNoNameOfTheRootsParentAnswersNoentAndOfADirectorysParentAuthSys() {
        assertThat(root.compound(c -> c.putrootfh().secinfoNoName(1)).status()).isEqualTo(NfsStatus.NOENT);
        CompoundReply r = root.compound(c -> c.putfh(dirFh).secinfoNoName(1));
        assertThat(r.body(Op.SECINFO_NO_NAME, int[].class)).containsExactly(1);
    }
}
