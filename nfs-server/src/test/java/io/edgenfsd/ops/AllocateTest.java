package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** ALLOCATE (RFC 7862 section 15.1) at minor version 2: blocks reserved, size grown, WRITE's stateid checks. */
class AllocateTest extends ProtocolTestBase {

    /** 512-byte blocks the file has on disk (stat -c %b). */
    static long blocks(Path p) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder("stat", "-c", "%b", p.toString()).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes()).trim();
        assertThat(pr.waitFor()).as(out).isZero();
        return Long.parseLong(out);
    }

    @Test
    void allocateReservesTheRangesBlocksAndGrowsTheFileToCoverIt() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "alloc", Attrs.none());
        assertThat(root.compound42(c -> c.putfh(f.fh()).allocate(Op.ALLOCATE, f.stateid(), 0, 1 << 20)).status())
                .isEqualTo(NfsStatus.OK);
        Path p = dir.resolve("alloc");
        assertThat(Files.size(p)).isEqualTo(1 << 20);
        assertThat(blocks(p)).isGreaterThanOrEqualTo((1 << 20) / 512);
        root.close(f);
    }

    @Test
    void allocateOfAZeroLengthRangeAnswersInval() {
        NfsSession.OpenFile f = root.create(dirFh, "alloc0", Attrs.none());
        assertThat(root.compound42(c -> c.putfh(f.fh()).allocate(Op.ALLOCATE, f.stateid(), 0, 0)).status())
                .isEqualTo(NfsStatus.INVAL);
        root.close(f);
    }

    @Test
    void allocateWithAClosedStateidAnswersBadStateidAndAReadOnlyOpenOpenMode() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "allocst", Attrs.none());
        root.close(f);
        assertThat(root.compound42(c -> c.putfh(f.fh()).allocate(Op.ALLOCATE, f.stateid(), 0, 4096)).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
        NfsSession.OpenFile r = root.open(dirFh, "allocst", Op.ACCESS_READ, 0);
        assertThat(root.compound42(c -> c.putfh(r.fh()).allocate(Op.ALLOCATE, r.stateid(), 0, 4096)).status())
                .isEqualTo(NfsStatus.OPENMODE);
        assertThat(Files.size(dir.resolve("allocst"))).isZero();
        root.close(r);
    }

    @Test
    void allocateOnAReadOnlyExportAnswersRofs() {
        byte[] fh = root.lookupPath(export("ro") + "/readme");
        assertThat(root.compound42(c -> c.putfh(fh).allocate(Op.ALLOCATE, Stateid.ANONYMOUS, 0, 4096)).status())
                .isEqualTo(NfsStatus.ROFS);
    }

    @Test
    void allocateOnADirectoryAnswersIsdir() {
        assertThat(root.compound42(c -> c.putfh(dirFh).allocate(Op.ALLOCATE, Stateid.ANONYMOUS, 0, 4096)).status())
                .isEqualTo(NfsStatus.ISDIR);
    }
}
