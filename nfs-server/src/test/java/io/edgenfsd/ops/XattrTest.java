package io.edgenfsd.ops;

import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** GETXATTR, SETXATTR, LISTXATTRS, REMOVEXATTR (RFC 8276) on user.* xattrs, with the caller's permissions. */
class XattrTest extends ProtocolTestBase {

    private static String onDisk(Path p, String name) throws Exception {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        ByteBuffer b = ByteBuffer.allocate(v.size(name));
        v.read(name, b);
        return new String(b.array(), 0, b.position());
    }

    @Test
    void setGetListAndRemoveRoundTripAsUserXattrsOnDisk() throws Exception {
        Files.writeString(dir.resolve("x"), "data");
        byte[] fh = root.lookup(dirFh, "x");
        assertThat(root.compound42(c -> c.putfh(fh).setxattr(1, "b", "two".getBytes())).status()).isEqualTo(NfsStatus.OK);
        assertThat(root.compound42(c -> c.putfh(fh).setxattr(0, "a", "one".getBytes())).status()).isEqualTo(NfsStatus.OK);
        assertThat(onDisk(dir.resolve("x"), "b")).isEqualTo("two");
        assertThat(root.compound42(c -> c.putfh(fh).getxattr("a")).orThrow().body(Op.GETXATTR, byte[].class))
                .isEqualTo("one".getBytes());
        Res.ListXattrs l = root.compound42(c -> c.putfh(fh).listxattrs(0, 4096)).orThrow()
                .body(Op.LISTXATTRS, Res.ListXattrs.class);
        assertThat(l.names()).isEqualTo(List.of("a", "b"));
        assertThat(l.eof()).isTrue();
        assertThat(root.compound42(c -> c.putfh(fh).removexattr("a")).status()).isEqualTo(NfsStatus.OK);
        assertThat(root.compound42(c -> c.putfh(fh).getxattr("a")).status()).isEqualTo(NfsStatus.NOXATTR);
    }

    @Test
    void createOfAnExistingNameAnswersExistAndReplaceOfAMissingOneNoxattr() throws Exception {
        Files.writeString(dir.resolve("y"), "data");
        byte[] fh = root.lookup(dirFh, "y");
        assertThat(root.compound42(c -> c.putfh(fh).setxattr(1, "k", "v".getBytes())).status()).isEqualTo(NfsStatus.OK);
        assertThat(root.compound42(c -> c.putfh(fh).setxattr(1, "k", "w".getBytes())).status()).isEqualTo(NfsStatus.EXIST);
        assertThat(root.compound42(c -> c.putfh(fh).setxattr(2, "none", "w".getBytes())).status())
                .isEqualTo(NfsStatus.NOXATTR);
        assertThat(root.compound42(c -> c.putfh(fh).removexattr("none")).status()).isEqualTo(NfsStatus.NOXATTR);
        assertThat(onDisk(dir.resolve("y"), "k")).isEqualTo("v");
    }

    @Test
    void listingPagesByCookieAndAMaxcountTooSmallForOneNameAnswersToosmall() throws Exception {
        Files.writeString(dir.resolve("z"), "data");
        byte[] fh = root.lookup(dirFh, "z");
        for (String n : new String[] {"n1", "n2", "n3"}) {
            root.compound42(c -> c.putfh(fh).setxattr(0, n, new byte[1])).orThrow();
        }
        Res.ListXattrs first = root.compound42(c -> c.putfh(fh).listxattrs(0, 16 + 8)).orThrow()
                .body(Op.LISTXATTRS, Res.ListXattrs.class);
        assertThat(first.names()).isEqualTo(List.of("n1"));
        assertThat(first.eof()).isFalse();
        Res.ListXattrs rest = root.compound42(c -> c.putfh(fh).listxattrs(first.cookie(), 4096)).orThrow()
                .body(Op.LISTXATTRS, Res.ListXattrs.class);
        assertThat(rest.names()).isEqualTo(List.of("n2", "n3"));
        assertThat(rest.eof()).isTrue();
        assertThat(root.compound42(c -> c.putfh(fh).listxattrs(0, 16)).status()).isEqualTo(NfsStatus.TOOSMALL);
    }

    @Test
    void anotherUserCannotSetAnXattrOnAFileItCannotWriteAndAReadOnlyExportAnswersRofs() throws Exception {
        Files.writeString(dir.resolve("mine"), "data");
        Files.setPosixFilePermissions(dir.resolve("mine"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        NfsSession other = session(Cred.sys(4321, 4321));
        byte[] fh = other.lookup(dirFh, "mine");
        assertThat(other.compound42(c -> c.putfh(fh).setxattr(0, "k", "v".getBytes())).status())
                .isEqualTo(NfsStatus.ACCESS);
        byte[] ro = root.lookupPath(export("ro") + "/readme");
        assertThat(root.compound42(c -> c.putfh(ro).setxattr(0, "k", "v".getBytes())).status())
                .isEqualTo(NfsStatus.ROFS);
    }
}
