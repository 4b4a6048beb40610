package io.edgenfsd.ops;

import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** READ_PLUS (RFC 7862 section 15.10): the range's bytes, holes as zeros, eof as READ reports it. */
class ReadPlusTest extends ProtocolTestBase {

    private static byte[] contents(Res.ReadPlus r, long from) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Res.ReadPlus.Segment s : r.segments()) {
            assertThat(s.offset()).as("segments are in order and contiguous").isEqualTo(from + b.size());
            b.writeBytes(s.data());
        }
        return b.toByteArray();
    }

    @Test
    void readPlusOfASparseFileReturnsItsDataAndZerosForTheHole() throws Exception {
        byte[] tail = "tail-data".getBytes();
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("rp").toFile(), "rw")) {
            raf.write("head".getBytes());
            raf.seek(512 << 10);
            raf.write(tail);
        }
        NfsSession.OpenFile f = root.open(dirFh, "rp", Op.ACCESS_READ, 0);
        Res.ReadPlus r = root.compound42(c -> c.putfh(f.fh()).readPlus(f.stateid(), 0, 1 << 20)).orThrow()
                .body(Op.READ_PLUS, Res.ReadPlus.class);
        assertThat(r.eof()).isTrue();
        byte[] got = contents(r, 0);
        assertThat(got).hasSize((512 << 10) + tail.length);
        assertThat(Arrays.copyOfRange(got, 0, 4)).isEqualTo("head".getBytes());
        assertThat(Arrays.copyOfRange(got, 4, 512 << 10)).containsOnly(0);
        assertThat(Arrays.copyOfRange(got, 512 << 10, got.length)).isEqualTo(tail);
        Res.ReadPlus part = root.compound42(c -> c.putfh(f.fh()).readPlus(f.stateid(), 2, 2)).orThrow()
                .body(Op.READ_PLUS, Res.ReadPlus.class);
        assertThat(part.eof()).isFalse();
        assertThat(contents(part, 2)).isEqualTo("ad".getBytes());
        root.close(f);
    }

    @Test
    void readPlusAtTheEndReturnsNoSegmentsAndEofAndAClosedStateidBadStateid() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("rpe"), "abc");
        NfsSession.OpenFile f = root.open(dirFh, "rpe", Op.ACCESS_READ, 0);
        Res.ReadPlus r = root.compound42(c -> c.putfh(f.fh()).readPlus(f.stateid(), 3, 10)).orThrow()
                .body(Op.READ_PLUS, Res.ReadPlus.class);
        assertThat(r.eof()).isTrue();
        assertThat(r.segments()).isEmpty();
        root.close(f);
        assertThat(root.compound42(c -> c.putfh(f.fh()).readPlus(f.stateid(), 0, 1)).status())
                .isEqualTo(NfsStatus.BAD_STATEID);
    }
}
