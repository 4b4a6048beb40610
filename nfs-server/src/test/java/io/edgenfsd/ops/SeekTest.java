package io.edgenfsd.ops;

import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;

import static org.assertj.core.api.Assertions.assertThat;

/** SEEK (RFC 7862 section 15.11): data and holes of a sparse file as lseek SEEK_DATA/SEEK_HOLE see them. */
class SeekTest extends ProtocolTestBase {
    private static final int MIB = 1 << 20;

    /** 1 MiB hole, 1 MiB data, 1 MiB hole at the end (file size 3 MiB). */
    private NfsSession.OpenFile sparse(String name) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
            raf.seek(MIB);
            raf.write(new byte[MIB]);
            raf.getChannel().force(true);
            raf.setLength(3L * MIB);
        }
        java.nio.file.Files.write(dir.resolve(name), new byte[] {1}, java.nio.file.StandardOpenOption.WRITE);
        return root.open(dirFh, name, Op.ACCESS_READ, 0);
    }

    private Res.Seek seek(NfsSession.OpenFile f, long offset, int what) {
        return root.compound42(c -> c.putfh(f.fh()).seek(f.stateid(), offset, what)).orThrow()
                .body(Op.SEEK, Res.Seek.class);
    }

    @Test
    void seekFindsTheDataAfterAHoleAndTheHoleAfterTheData() throws Exception {
        NfsSession.OpenFile f = sparse("sparse");
        // the first byte was written again: data at 0, a hole from the end of that block
        Res.Seek hole = seek(f, 0, Op.CONTENT_HOLE);
        assertThat(hole.offset()).isGreaterThan(0).isLessThanOrEqualTo(MIB);
        assertThat(hole.eof()).isFalse();
        Res.Seek data = seek(f, hole.offset(), Op.CONTENT_DATA);
        assertThat(data.offset()).isEqualTo(MIB);
        Res.Seek end = seek(f, MIB, Op.CONTENT_HOLE);
        assertThat(end.offset()).isEqualTo(2L * MIB);
        root.close(f);
    }

    @Test
    void seekForDataPastTheLastDataOrTheEndAnswersNxio() throws Exception {
        NfsSession.OpenFile f = sparse("tail");
        CompoundReply afterData = root.compound42(c -> c.putfh(f.fh()).seek(f.stateid(), 2L * MIB + 1, Op.CONTENT_DATA));
        assertThat(afterData.status()).isEqualTo(NfsStatus.NXIO);
        CompoundReply pastEnd = root.compound42(c -> c.putfh(f.fh()).seek(f.stateid(), 4L * MIB, Op.CONTENT_HOLE));
        assertThat(pastEnd.status()).isEqualTo(NfsStatus.NXIO);
        root.close(f);
    }

    @Test
    void seekForAHoleInTheLastDataReturnsTheEndOfFileWithEof() throws Exception {
        java.nio.file.Files.write(dir.resolve("dense"), new byte[8192]);
        NfsSession.OpenFile f = root.open(dirFh, "dense", Op.ACCESS_READ, 0);
        Res.Seek s = seek(f, 100, Op.CONTENT_HOLE);
        assertThat(s.offset()).isEqualTo(8192);
        assertThat(s.eof()).isTrue();
        root.close(f);
    }

    @Test
    void seekWithAnUnknownContentTypeAnswersUnionNotsupp() throws Exception {
        java.nio.file.Files.write(dir.resolve("u"), new byte[10]);
        NfsSession.OpenFile f = root.open(dirFh, "u", Op.ACCESS_READ, 0);
        assertThat(root.compound42(c -> c.putfh(f.fh()).seek(f.stateid(), 0, 7)).status())
                .isEqualTo(NfsStatus.UNION_NOTSUPP);
        root.close(f);
    }
}
