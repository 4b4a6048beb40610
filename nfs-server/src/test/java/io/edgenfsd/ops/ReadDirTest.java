package io.edgenfsd.ops;

import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** READDIR (RFC 8881 section 18.23): complete listings, stable cookies, TOOSMALL, BAD_COOKIE. */
class ReadDirTest extends ProtocolTestBase {

    private Res.ReadDir page(byte[] fh, long cookie, int maxcount) {
        CompoundReply r = root.compound(c -> c.putfh(fh).readdir(cookie, new byte[8], maxcount, maxcount,
                Fattr.TYPE, Fattr.FILEID));
        assertThat(r.status()).as(r.toString()).isEqualTo(NfsStatus.OK);
        return r.body(Op.READDIR, Res.ReadDir.class);
    }

    @Test
    void listingInSmallPagesReturnsEveryEntryOnceWithoutDotEntries() throws Exception {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Files.writeString(dir.resolve("file-" + i), "");
            expected.add("file-" + i);
        }
        List<String> seen = new ArrayList<>();
        long cookie = 0;
        int pages = 0;
        while (true) {
            Res.ReadDir p = page(dirFh, cookie, 2048);
            pages++;
            for (Res.DirEntry e : p.entries()) {
                seen.add(e.name());
                assertThat(e.attrs().type()).isEqualTo(Op.NF4REG);
                cookie = e.cookie();
            }
            if (p.eof()) {
                break;
            }
        }
        assertThat(pages).isGreaterThan(1);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void entriesPresentThroughoutAreNeitherMissedNorRepeatedWhileOthersComeAndGo() throws Exception {
        Random rnd = new Random(42);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Files.writeString(dir.resolve("stable-" + i), "");
            stable.add("stable-" + i);
        }
        List<String> churn = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Files.writeString(dir.resolve("churn-" + i), "");
            churn.add("churn-" + i);
        }
        List<String> seen = new ArrayList<>();
        long cookie = 0;
        int added = 0;
        while (true) {
            Res.ReadDir p = page(dirFh, cookie, 1500);
            for (Res.DirEntry e : p.entries()) {
                seen.add(e.name());
                cookie = e.cookie();
            }
            if (p.eof()) {
                break;
            }
            for (int k = 0; k < 5 && !churn.isEmpty(); k++) {
                Files.delete(dir.resolve(churn.remove(rnd.nextInt(churn.size()))));
            }
            for (int k = 0; k < 5; k++) {
                Files.writeString(dir.resolve("new-" + added++), "");
            }
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(stable);
    }

    @Test
    void maxcountTooSmallForOneEntryAnswersToosmall() throws Exception {
        Files.writeString(dir.resolve("an-entry-with-a-long-name"), "");
        CompoundReply r = root.compound(c -> c.putfh(dirFh).readdir(0, new byte[8], 20, 20, Fattr.TYPE));
        assertThat(r.status()).isEqualTo(NfsStatus.TOOSMALL);
    }

    @Test
    void reservedCookiesAnswerBadCookie() {
        assertThat(root.compound(c -> c.putfh(dirFh).readdir(1, new byte[8], 1000, 1000)).status())
                .isEqualTo(NfsStatus.BAD_COOKIE);
        assertThat(root.compound(c -> c.putfh(dirFh).readdir(2, new byte[8], 1000, 1000)).status())
                .isEqualTo(NfsStatus.BAD_COOKIE);
    }

    @Test
    void readdirOfAFileAnswersNotdir() throws Exception {
        Files.writeString(dir.resolve("f"), "");
        assertThat(root.compound(c -> c.putfh(dirFh).lookup("f").readdir(0, new byte[8], 1000, 1000)).status())
                .isEqualTo(NfsStatus.NOTDIR);
    }

    @Test
    void emptyDirectoryIsEofWithNoEntries() {
        Res.ReadDir p = page(dirFh, 0, 1000);
        assertThat(p.entries()).isEmpty();
        assertThat(p.eof()).isTrue();
    }

    @Test
    void pseudoRootListsOnlyTheWayToVisibleExports() {
        String[] parts = base.toString().substring(1).split("/");
        Res.ReadDir p = page(root.rootFh(), 0, 8192);
        assertThat(p.entries()).extracting(Res.DirEntry::name).containsExactly(parts[0]);
        Res.ReadDir exports = page(root.lookupPath(base.toString()), 0, 8192);
        assertThat(exports.entries()).extracting(Res.DirEntry::name)
                .containsExactlyInAnyOrder("rw", "rw2", "ro", "squash", "allsquash");
    }
}
