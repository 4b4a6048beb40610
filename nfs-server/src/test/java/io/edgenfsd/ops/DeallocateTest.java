package io.edgenfsd.ops;

import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** DEALLOCATE (RFC 7862 section 15.4): a hole punched, the size kept, the range reads as zeros. */
class DeallocateTest extends ProtocolTestBase {

    @Test
    void deallocatePunchesAHoleKeepingTheSizeAndTheRangeReadsAsZeros() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Path p = dir.resolve("punch");
        Files.write(p, data);
        long before = AllocateTest.blocks(p);
        NfsSession.OpenFile f = root.open(dirFh, "punch", Op.ACCESS_BOTH, 0);
        assertThat(root.compound42(c -> c.putfh(f.fh()).allocate(Op.DEALLOCATE, f.stateid(), 65536, 512 * 1024))
                .status()).isEqualTo(NfsStatus.OK);
        assertThat(Files.size(p)).isEqualTo(data.length);
        assertThat(AllocateTest.blocks(p)).isLessThanOrEqualTo(before - 512 * 1024 / 512);
        byte[] now = Files.readAllBytes(p);
        assertThat(Arrays.copyOfRange(now, 65536, 65536 + 512 * 1024)).containsOnly(0);
        assertThat(Arrays.copyOfRange(now, 0, 65536)).isEqualTo(Arrays.copyOfRange(data, 0, 65536));
        assertThat(Arrays.copyOfRange(now, 65536 + 512 * 1024, data.length))
                .isEqualTo(Arrays.copyOfRange(data, 65536 + 512 * 1024, data.length));
        root.close(f);
    }

    @Test
    void deallocateOnAReadOnlyExportAnswersRofsAndInAMinorVersionOneCompoundNotsupp() throws Exception {
        byte[] fh = root.lookupPath(export("ro") + "/readme");
        assertThat(root.compound42(c -> c.putfh(fh).allocate(Op.DEALLOCATE, Stateid.ANONYMOUS, 0, 4)).status())
                .isEqualTo(NfsStatus.ROFS);
        Files.writeString(dir.resolve("d41"), "data");
        byte[] f = root.lookup(dirFh, "d41");
        assertThat(root.compound(c -> c.putfh(f).allocate(Op.DEALLOCATE, Stateid.ANONYMOUS, 0, 4)).status())
                .isEqualTo(NfsStatus.NOTSUPP);
        assertThat(Files.readString(dir.resolve("d41"))).isEqualTo("data");
    }
}
