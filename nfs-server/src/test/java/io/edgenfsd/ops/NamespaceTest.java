package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;

import static org.assertj.core.api.Assertions.assertThat;

/** CREATE, READLINK, REMOVE, RENAME, LINK (RFC 8881 sections 18.4, 18.24-18.26, 18.9). */
class NamespaceTest extends ProtocolTestBase {

    @Test
    void renameOverAnOpenFileKeepsThatOpensHandleUntilItsCloseAndStaleAfter() throws Exception {
        Files.writeString(dir.resolve("file"), "new");
        NfsSession.OpenFile target = root.create(dirFh, "file2", Attrs.none());
        root.write(target, 0, "old data".getBytes(StandardCharsets.UTF_8), Op.FILE_SYNC);
        root.compound(c -> c.putfh(dirFh).savefh().putfh(dirFh).rename("file", "file2")).orThrow();
        assertThat(Files.readString(dir.resolve("file2"))).isEqualTo("new");
        // the replaced file lost its last name but is still open: READ and CLOSE of it work (pynfs RNM21)
        assertThat(new String(root.read(target, 0, 100).data(), StandardCharsets.UTF_8)).isEqualTo("old data");
        assertThat(root.compound(c -> c.putfh(target.fh()).close(target.stateid())).status())
                .isEqualTo(NfsStatus.OK);
        assertThat(root.compound(c -> c.putfh(target.fh()).getattr(Fattr.TYPE)).status())
                .isEqualTo(NfsStatus.STALE);
    }

    @Test
    void removeOfAnOpenFileKeepsItWritableUntilItsLastCloseAndStaleAfter() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "open-gone", Attrs.none());
        NfsSession other = session(Cred.root());
        NfsSession.OpenFile second = other.open(dirFh, "open-gone", Op.ACCESS_READ, Op.DENY_NONE);
        root.remove(dirFh, "open-gone");
        assertThat(Files.exists(dir.resolve("open-gone"))).isFalse();
        root.write(f, 0, "still here".getBytes(StandardCharsets.UTF_8), Op.FILE_SYNC);
        assertThat(root.getattr(f.fh(), Fattr.SIZE).size()).isEqualTo(10);
        root.close(f);
        // another client's open keeps it too
        assertThat(new String(other.read(second, 0, 100).data(), StandardCharsets.UTF_8)).isEqualTo("still here");
        other.close(second);
        assertThat(root.compound(c -> c.putfh(f.fh()).getattr(Fattr.TYPE)).status()).isEqualTo(NfsStatus.STALE);
    }

    @Test
    void createMakesDirectoriesSymlinksFifosSocketsAndDevices() throws Exception {
        CompoundReply r = root.compound(c -> c.putfh(dirFh).mkdir("d", Attrs.mode(0710)).getattr(Fattr.TYPE,
                Fattr.MODE));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(r.body(Op.GETATTR, Fattr.class).mode()).isEqualTo(0710);
        assertThat(Fattr.isSet(r.body(Op.CREATE, Res.Create.class).attrset(), Fattr.MODE)).isTrue();
        root.compound(c -> c.putfh(dirFh).symlink("l", "target/x", Attrs.none())).orThrow();
        root.compound(c -> c.putfh(dirFh).mknod(Op.NF4FIFO, "p", 0, 0, Attrs.mode(0600))).orThrow();
        root.compound(c -> c.putfh(dirFh).mknod(Op.NF4SOCK, "s", 0, 0, Attrs.none())).orThrow();
        CompoundReply dev = root.compound(c -> c.putfh(dirFh).mknod(Op.NF4CHR, "null", 1, 3, Attrs.mode(0666))
                .getattr(Fattr.TYPE, Fattr.RAWDEV));
        assertThat(dev.status()).isEqualTo(NfsStatus.OK);
        assertThat(dev.body(Op.GETATTR, Fattr.class).type()).isEqualTo(Op.NF4CHR);
        assertThat((long[]) dev.body(Op.GETATTR, Fattr.class).attrs().get(Fattr.RAWDEV)).containsExactly(1, 3);
        assertThat(Files.isDirectory(dir.resolve("d"))).isTrue();
        assertThat(Files.readSymbolicLink(dir.resolve("l")).toString()).isEqualTo("target/x");
        assertThat(Files.getAttribute(dir.resolve("p"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(0010600);
        assertThat((int) Files.getAttribute(dir.resolve("s"), "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                .isEqualTo(0140000);
    }

    @Test
    void createOfAnExistingNameAnswersExist() {
        root.compound(c -> c.putfh(dirFh).mkdir("e", Attrs.none())).orThrow();
        assertThat(root.compound(c -> c.putfh(dirFh).mkdir("e", Attrs.none())).status()).isEqualTo(NfsStatus.EXIST);
        assertThat(root.compound(c -> c.putfh(dirFh).symlink("e", "x", Attrs.none())).status())
                .isEqualTo(NfsStatus.EXIST);
    }

    @Test
    void createOfARegularFileTypeAnswersBadtype() {
        assertThat(root.compound(c -> c.putfh(dirFh).mknod(Op.NF4REG, "f", 0, 0, Attrs.none())).status())
                .isEqualTo(NfsStatus.BADTYPE);
    }

    @Test
    void createWithAnEmptyLinkTextAnswersInvalAndInAFileNotdir() throws Exception {
        assertThat(root.compound(c -> c.putfh(dirFh).symlink("l", "", Attrs.none())).status())
                .isEqualTo(NfsStatus.INVAL);
        Files.writeString(dir.resolve("f"), "");
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("f").mkdir("x", Attrs.none())).status())
                .isEqualTo(NfsStatus.NOTDIR);
    }

    @Test
    void createOnAReadOnlyExportOrInThePseudoFilesystemAnswersRofs() {
        byte[] ro = root.lookupPath(export("ro"));
        assertThat(root.compound(c -> c.putfh(ro).mkdir("x", Attrs.none())).status()).isEqualTo(NfsStatus.ROFS);
        assertThat(root.compound(c -> c.putrootfh().mkdir("x", Attrs.none())).status()).isEqualTo(NfsStatus.ROFS);
    }

    @Test
    void readlinkReturnsTheTargetAndAnswersInvalForOtherTypes() throws Exception {
        Files.createSymbolicLink(dir.resolve("ln"), java.nio.file.Path.of("some/where"));
        Files.writeString(dir.resolve("f"), "");
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("ln").readlink()).orThrow()
                .body(Op.READLINK, String.class)).isEqualTo("some/where");
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("f").readlink()).status()).isEqualTo(NfsStatus.INVAL);
        assertThat(root.compound(c -> c.putrootfh().readlink()).status()).isEqualTo(NfsStatus.INVAL);
    }

    @Test
    void removeDeletesFilesAndEmptyDirectoriesAndReportsErrors() throws Exception {
        Files.writeString(dir.resolve("f"), "");
        Files.createDirectories(dir.resolve("full/inner"));
        CompoundReply r = root.compound(c -> c.putfh(dirFh).remove("f"));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        Res.ChangeInfo ci = r.body(Op.REMOVE, Res.ChangeInfo.class);
        assertThat(ci.after()).isGreaterThan(ci.before());
        assertThat(Files.exists(dir.resolve("f"))).isFalse();
        assertThat(root.compound(c -> c.putfh(dirFh).remove("f")).status()).isEqualTo(NfsStatus.NOENT);
        assertThat(root.compound(c -> c.putfh(dirFh).remove("full")).status()).isEqualTo(NfsStatus.NOTEMPTY);
        assertThat(root.compound(c -> c.putfh(dirFh).remove("..")).status()).isEqualTo(NfsStatus.BADNAME);
        byte[] ro = root.lookupPath(export("ro"));
        assertThat(root.compound(c -> c.putfh(ro).remove("readme")).status()).isEqualTo(NfsStatus.ROFS);
    }

    @Test
    void renameOverAnExistingFileReplacesIt() throws Exception {
        Files.writeString(dir.resolve("a"), "new");
        Files.writeString(dir.resolve("b"), "old");
        CompoundReply r = root.compound(c -> c.putfh(dirFh).savefh().rename("a", "b"));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(Files.exists(dir.resolve("a"))).isFalse();
        assertThat(Files.readString(dir.resolve("b"))).isEqualTo("new");
    }

    @Test
    void renameBetweenDirectoriesMovesTheEntry() throws Exception {
        Files.createDirectory(dir.resolve("to"));
        Files.writeString(dir.resolve("m"), "x");
        assertThat(root.compound(c -> c.putfh(dirFh).savefh().lookup("to").rename("m", "moved")).status())
                .isEqualTo(NfsStatus.OK);
        assertThat(Files.readString(dir.resolve("to/moved"))).isEqualTo("x");
    }

    @Test
    void renameAcrossExportsAnswersXdev() throws Exception {
        Files.writeString(dir.resolve("x"), "");
        byte[] rw2 = root.lookupPath(export("rw2"));
        assertThat(root.compound(c -> c.putfh(dirFh).savefh().putfh(rw2).rename("x", "x")).status())
                .isEqualTo(NfsStatus.XDEV);
    }

    @Test
    void renameErrorsNoentNofilehandleAndNotempty() throws Exception {
        Files.createDirectories(dir.resolve("d1"));
        Files.createDirectories(dir.resolve("d2/child"));
        assertThat(root.compound(c -> c.putfh(dirFh).savefh().rename("nope", "x")).status())
                .isEqualTo(NfsStatus.NOENT);
        assertThat(root.compound(c -> c.putfh(dirFh).rename("d1", "x")).status()).isEqualTo(NfsStatus.NOFILEHANDLE);
        assertThat(root.compound(c -> c.putfh(dirFh).savefh().rename("d1", "d2")).status())
                .isIn(NfsStatus.NOTEMPTY, NfsStatus.EXIST);
        assertThat(root.compound(c -> c.putrootfh().savefh().rename("a", "b")).status()).isEqualTo(NfsStatus.ROFS);
    }

    @Test
    void linkAddsASecondNameToTheSameFile() throws Exception {
        Files.writeString(dir.resolve("orig"), "data");
        CompoundReply r = root.compound(c -> c.putfh(dirFh).lookup("orig").savefh().putfh(dirFh).link("alias")
                .lookup("alias").getattr(Fattr.NUMLINKS, Fattr.FILEID));
        assertThat(r.status()).isEqualTo(NfsStatus.OK);
        assertThat(r.body(Op.GETATTR, Fattr.class).numlinks()).isEqualTo(2);
        assertThat(Files.isSameFile(dir.resolve("orig"), dir.resolve("alias"))).isTrue();
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("orig").savefh().putfh(dirFh).link("alias")).status())
                .isEqualTo(NfsStatus.EXIST);
    }

    @Test
    void linkOfADirectoryAnswersIsdirAndAcrossExportsXdev() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("f"), "");
        byte[] rw2 = root.lookupPath(export("rw2"));
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("sub").savefh().putfh(dirFh).link("l")).status())
                .isEqualTo(NfsStatus.ISDIR);
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("f").savefh().putfh(rw2).link("l")).status())
                .isEqualTo(NfsStatus.XDEV);
        assertThat(root.compound(c -> c.putfh(dirFh).link("l")).status()).isEqualTo(NfsStatus.NOFILEHANDLE);
    }
}
