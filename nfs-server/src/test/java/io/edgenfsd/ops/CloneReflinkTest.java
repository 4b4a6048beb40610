package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.Cred;
import io.edgenfsd.client.Fattr;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import io.edgenfsd.client.TestServer;
import io.edgenfsd.status.NfsStatus;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLONE (RFC 7862 section 15.13) on a real reflink filesystem: a 300 MiB sparse image made with
 * {@code mkfs.xfs -m reflink=1} (xfsprogs, .ci/install-deps), loop-mounted, exported beside a directory of
 * the test's temporary filesystem (no reflinks). Needs root and a loop device; CI runs as root, so a
 * missing one fails the test rather than skipping it. The mount and the loop device are removed by their
 * exact path and name afterwards.
 */
class CloneReflinkTest {
    @TempDir
    static Path tmp;
    private static Path mnt;
    private static String loop;
    private static TestServer server;
    private static NfsSession root;
    private static byte[] xfsFh;
    private static byte[] plainFh;

    @BeforeAll
    static void mountXfsAndStartServer() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("CloneReflinkTest needs root to loop-mount XFS (CI runs as root)")
                .isZero();
        Path image = tmp.resolve("xfs.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(300L << 20); // sparse
        }
        run("mkfs.xfs", "-q", "-m", "reflink=1", image.toString());
        loop = run("losetup", "--find", "--show", image.toString()).trim();
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        run("mount", "-t", "xfs", loop, mnt.toString());
        Files.createDirectory(mnt.resolve("exp"));
        Files.createDirectory(tmp.resolve("plain"));
        server = TestServer.start(tmp.resolve("state"), 1 << 20,
                mnt.resolve("exp") + " *(rw,sync,no_root_squash,insecure)",
                tmp.resolve("plain") + " *(rw,sync,no_root_squash,insecure)");
        root = server.session(Cred.root());
        xfsFh = root.lookupPath(mnt.resolve("exp").toString());
        plainFh = root.lookupPath(tmp.resolve("plain").toString());
    }

    @AfterAll
    static void stopAndUnmount() throws Exception {
        try {
            if (root != null) {
                root.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                if (mnt != null && loop != null) {
                    // lazily: a closed server's LocalFs still holds O_PATH fds of its exports until the JVM
                    // ends; the filesystem goes when they close, and losetup -d then frees the loop device
                    // (the kernel defers the detach of a busy one: LO_FLAGS_AUTOCLEAR)
                    run("umount", "--lazy", mnt.toString());
                }
            } finally {
                if (loop != null) {
                    run("losetup", "-d", loop);
                }
            }
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(cmd)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s: %s", List.of(cmd), out).isZero();
        return out;
    }

    private static byte[] source(String name, int n) throws Exception {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        Files.write(mnt.resolve("exp").resolve(name), data);
        run("sync", mnt.resolve("exp").resolve(name).toString()); // extents allocated: shareable
        return data;
    }

    /** The extents `filefrag -v` lists with the FIEMAP_EXTENT_SHARED flag. */
    private static long sharedExtents(Path f) throws Exception {
        return Arrays.stream(run("filefrag", "-v", f.toString()).split("\n"))
                .filter(l -> l.contains("shared")).count();
    }

    @Test
    void cloneOfOneMebibyteSharesTheBlocksAndTheContent() throws Exception {
        byte[] data = source("src", 2 << 20);
        NfsSession.OpenFile s = root.open(xfsFh, "src", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(xfsFh, "dst", Attrs.none());
        Path dst = mnt.resolve("exp/dst");
        assertThat(sharedExtents(mnt.resolve("exp/src"))).isZero();
        root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 1 << 20, 1 << 20, 1 << 20)).orThrow();
        byte[] got = Files.readAllBytes(dst);
        assertThat(got).hasSize(2 << 20);
        assertThat(Arrays.copyOfRange(got, 0, 1 << 20)).isEqualTo(new byte[1 << 20]);
        assertThat(Arrays.copyOfRange(got, 1 << 20, 2 << 20)).isEqualTo(Arrays.copyOfRange(data, 1 << 20, 2 << 20));
        assertThat(sharedExtents(dst)).as("dst's extents shared with src").isPositive();
        assertThat(sharedExtents(mnt.resolve("exp/src"))).as("src's extents now shared").isPositive();
        root.close(s);
        root.close(d);
    }

    @Test
    void cloneBlksizeIsTheXfsBlockSizeAtMinorTwo() {
        Fattr a = root.compound42(c -> c.putfh(xfsFh).getattr(Fattr.SUPPORTED_ATTRS, 77)).orThrow()
                .body(Op.GETATTR, Fattr.class);
        assertThat(a.attrs().get(77)).isEqualTo(4096);
        assertThat(Fattr.isSet((int[]) a.attrs().get(Fattr.SUPPORTED_ATTRS), 77)).isTrue();
        Fattr v41 = root.getattr(xfsFh, Fattr.SUPPORTED_ATTRS, 77);
        assertThat(v41.has(77)).as("not at minor 1").isFalse();
    }

    @Test
    void cloneOfCountZeroSharesToTheSourcesEndEvenAnUnalignedOne() throws Exception {
        byte[] data = source("src0", (1 << 20) + 1000);
        NfsSession.OpenFile s = root.open(xfsFh, "src0", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(xfsFh, "dst0", Attrs.none());
        root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 0, 0, 0)).orThrow();
        assertThat(Files.readAllBytes(mnt.resolve("exp/dst0"))).isEqualTo(data);
        root.close(s);
        root.close(d);
    }

    @Test
    void unalignedRangesOverlapsWithinOneFileAndAnotherFilesystemAnswerInvalAndXdev() throws Exception {
        source("srcu", 1 << 20);
        NfsSession.OpenFile s = root.open(xfsFh, "srcu", Op.ACCESS_BOTH, 0);
        NfsSession.OpenFile d = root.create(xfsFh, "dstu", Attrs.none());
        for (long[] r : new long[][] {{100, 0, 4096}, {0, 100, 4096}, {0, 0, 5000}}) {
            assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                    .clone(s.stateid(), d.stateid(), r[0], r[1], r[2])).status()).as("range %s", Arrays.toString(r))
                    .isEqualTo(NfsStatus.INVAL);
        }
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(s.fh())
                .clone(s.stateid(), s.stateid(), 0, 4096, 8192)).status()).as("overlap").isEqualTo(NfsStatus.INVAL);
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(s.fh())
                .clone(s.stateid(), s.stateid(), 0, 8192, 8192)).status()).as("disjoint, one file").isEqualTo(NfsStatus.OK);
        NfsSession.OpenFile p = root.create(plainFh, "other", Attrs.none());
        assertThat(root.compound42(c -> c.putfh(s.fh()).savefh().putfh(p.fh())
                .clone(s.stateid(), p.stateid(), 0, 0, 4096)).status()).isEqualTo(NfsStatus.XDEV);
        assertThat(Files.size(tmp.resolve("plain/other"))).isZero();
        root.close(s);
        root.close(d);
        root.close(p);
    }

    @Test
    void cloneIsAnNfsv42OperationAtMinorVersionOneItAnswersNotsupp() throws Exception {
        source("src1", 8192);
        NfsSession.OpenFile s = root.open(xfsFh, "src1", Op.ACCESS_READ, 0);
        NfsSession.OpenFile d = root.create(xfsFh, "dst1", Attrs.none());
        assertThat(root.compound(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 0, 0, 0)).status()).isEqualTo(NfsStatus.NOTSUPP);
        assertThat(Files.size(mnt.resolve("exp/dst1"))).isZero();
        root.compound42(c -> c.putfh(s.fh()).savefh().putfh(d.fh())
                .clone(s.stateid(), d.stateid(), 0, 0, 0)).orThrow();
        assertThat(Files.size(mnt.resolve("exp/dst1"))).as("the same CLONE at minor 2").isEqualTo(8192);
        root.close(s);
        root.close(d);
    }
}
