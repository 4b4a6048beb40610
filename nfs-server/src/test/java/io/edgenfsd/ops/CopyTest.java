package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.CompoundReply;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.Res;
import io.edgenfsd.client.Stateid;
import io.edgenfsd.status.NfsStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** COPY (RFC 7862 section 15.2), synchronous and intra-server, and OFFLOAD_STATUS/CANCEL without async copies. */
class CopyTest extends ProtocolTestBase {

    private byte[] source(String name, int n) throws Exception {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        Files.write(dir.resolve(name), data);
        return data;
    }

    @Test
    void copyWritesTheSourceRangeToTheDestinationSynchronouslyWithNoCallbackStateid() throws Exception {
        byte[] data = source("src", 3 << 20);
        NfsSession.OpenFile s = root.open(dirFh, "src", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(dirFh, "dst", Attrs.none());
        CompoundReply r = root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .copy(s.stateid(), d.stateid(), 4096, 100, 1 << 20, true)).orThrow();
        Res.Copy copy = r.body(Op.COPY, Res.Copy.class);
        assertThat(copy.callbackIds()).isZero();
        assertThat(copy.count()).isEqualTo(1 << 20);
        assertThat(copy.committed()).isEqualTo(Op.FILE_SYNC);
        assertThat(copy.consecutive()).isTrue();
        assertThat(copy.synchronous()).isTrue();
        byte[] got = Files.readAllBytes(dir.resolve("dst"));
        assertThat(got).hasSize(100 + (1 << 20));
        assertThat(Arrays.copyOfRange(got, 100, got.length)).isEqualTo(Arrays.copyOfRange(data, 4096, 4096 + (1 << 20)));
        root.close(s);
        root.close(d);
    }

    @Test
    void copyOfCountZeroOrPastTheEndCopiesToTheSourcesEnd() throws Exception {
        byte[] data = source("src0", 100_000);
        NfsSession.OpenFile s = root.open(dirFh, "src0", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(dirFh, "dst0", Attrs.none());
        Res.Copy all = root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .copy(s.stateid(), d.stateid(), 0, 0, 0, true)).orThrow().body(Op.COPY, Res.Copy.class);
        assertThat(all.count()).isEqualTo(100_000);
        assertThat(Files.readAllBytes(dir.resolve("dst0"))).isEqualTo(data);
        Res.Copy tail = root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .copy(s.stateid(), d.stateid(), 90_000, 0, 1 << 20, true)).orThrow().body(Op.COPY, Res.Copy.class);
        assertThat(tail.count()).isEqualTo(10_000);
        root.close(s);
        root.close(d);
    }

    @Test
    void copyFromBeyondTheSourcesEndAnswersInvalAndChangesNothing() throws Exception {
        source("srcx", 1000);
        NfsSession.OpenFile s = root.open(dirFh, "srcx", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(dirFh, "dstx", Attrs.none());
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .copy(s.stateid(), d.stateid(), 5000, 0, 10, true)).status()).isEqualTo(NfsStatus.INVAL);
        assertThat(Files.size(dir.resolve("dstx"))).isZero();
        root.close(s);
        root.close(d);
    }

    @Test
    void copyWithAReadOnlyDestinationOpenAnswersOpenmodeAndIntoAReadOnlyExportRofs() throws Exception {
        source("srcr", 1000);
        NfsSession.OpenFile s = root.open(dirFh, "srcr", Op.ACCESS_READ, 0);
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(s.fh())
                .copy(s.stateid(), s.stateid(), 0, 2000, 10, true)).status()).isEqualTo(NfsStatus.OPENMODE);
        byte[] ro = root.lookupPath(export("ro") + "/readme");
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(ro)
                .copy(s.stateid(), Stateid.ANONYMOUS, 0, 0, 10, true)).status()).isEqualTo(NfsStatus.ROFS);
        assertThat(Files.readString(base.resolve("ro/readme"))).isEqualTo("read only");
        root.close(s);
    }

    @Test
    void copyWithoutASavedFilehandleAnswersNofilehandle() throws Exception {
        source("srcn", 10);
        NfsSession.OpenFile s = root.open(dirFh, "srcn", Op.ACCESS_BOTH, 0);
        assertThat(root.compound42(c -> c.putfh(s.fh()).copy(s.stateid(), s.stateid(), 0, 10, 10, true)).status())
                .isEqualTo(NfsStatus.NOFILEHANDLE);
        root.close(s);
    }

    @Test
    void offloadStatusAndCancelFindNoAsynchronousCopy() throws Exception {
        source("off", 10);
        NfsSession.OpenFile s = root.open(dirFh, "off", Op.ACCESS_READ, 0);
        for (int op : new int[] {Op.OFFLOAD_STATUS, Op.OFFLOAD_CANCEL}) {
            assertThat(root.compound42(c -> c.putfh(s.fh()).offload(op, s.stateid())).status())
                    .isEqualTo(NfsStatus.BAD_STATEID);
        }
        root.close(s);
    }
}
