package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLONE (RFC 7862 section 15.13) on the test's temporary directory, a filesystem without reflinks (ext4 or
 * tmpfs here): NOTSUPP, and the checks that come before it. CloneReflinkTest clones on XFS.
 */
class CloneTest extends ProtocolTestBase {

    @Test
    void cloneOnAFilesystemWithoutReflinksAnswersNotsuppAndChangesNothing() throws Exception {
        Files.write(dir.resolve("src"), new byte[8192]);
        NfsSession.OpenFile s = root.open(dirFh, "src", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(dirFh, "dst", Attrs.none());
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 0, 0, 4096)).status()).isEqualTo(NfsStatus.NOTSUPP);
        assertThat(Files.size(dir.resolve("dst"))).isZero();
        root.close(s);
        root.close(d);
    }

    @Test
    void cloneBlksizeIsNotAdvertisedWhereTheFilesystemCannotReflink() throws Exception {
        Fattr a = root.compound42(c -> c.putfh(dirFh).getattr(Fattr.SUPPORTED_ATTRS, 77)).orThrow()
                .body(Op.GETATTR, Fattr.class);
        assertThat(a.has(77)).isFalse();
        assertThat(Fattr.isSet((int[]) a.attrs().get(Fattr.SUPPORTED_ATTRS), 77)).isFalse();
        assertThat(Fattr.isSet((int[]) a.attrs().get(Fattr.SUPPORTED_ATTRS), 78)).as("space_freed").isTrue();
    }

    @Test
    void cloneWithABadStateidARangeBeyondTheEndOrADirectoryAnswersTheirErrorsBeforeNotsupp() throws Exception {
        Files.write(dir.resolve("srcb"), new byte[8192]);
        NfsSession.OpenFile s = root.open(dirFh, "srcb", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(dirFh, "dstb", Attrs.none());
        // the destination's read-only open: no write access (RFC 7862 section 15.13.3 as for WRITE)
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(s.fh())
                .clone(s.stateid(), s.stateid(), 0, 8192, 4096)).status()).isEqualTo(NfsStatus.OPENMODE);
        // the destination's stateid given for the source
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(d.stateid(), d.stateid(), 0, 0, 4096)).status()).isEqualTo(NfsStatus.BAD_STATEID);
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 4096, 0, 8192)).status()).isEqualTo(NfsStatus.INVAL);
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 12288, 0, 0)).status()).isEqualTo(NfsStatus.INVAL);
        assertThat(root.compound42(c -> c.putfh(dirFh).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 0, 0, 0)).status()).isEqualTo(NfsStatus.ISDIR);
        assertThat(root.compound42(c -> c.putfh(s.fh()).clone(s.stateid(), d.stateid(), 0, 0, 0)).status())
                .isEqualTo(NfsStatus.NOFILEHANDLE);
        root.close(s);
        root.close(d);
    }
}
