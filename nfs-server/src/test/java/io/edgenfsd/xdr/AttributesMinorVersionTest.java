package io.edgenfsd.xdr;

import io.edgenfsd.vfs.Stat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NFSv4.2 attributes (RFC 7862 section 12.2, RFC 8276, RFC 9754) exist only at minor version 2: 4.1
 * has no extensions (RFC 8178 section 4), so a 4.1 COMPOUND neither sees them in supported_attrs nor gets
 * them when it asks.
 */
class AttributesMinorVersionTest {
    private static final Stat FILE = new Stat(1, 42, Stat.S_IFREG | 0644, 1, 0, 0, 0, 10_000, 12_288, 0, 0, 0, 7);
    private static final Stat LINKED = new Stat(1, 43, Stat.S_IFREG | 0644, 2, 0, 0, 0, 10_000, 12_288, 0, 0, 0, 7);
    private static final Stat DIR = new Stat(1, 44, Stat.S_IFDIR | 0755, 3, 0, 0, 0, 4096, 4096, 0, 0, 0, 7);
    private static final int[] V42 = {Attributes.SPACE_FREED, Attributes.CHANGE_ATTR_TYPE, Attributes.XATTR_SUPPORT,
            Attributes.OPEN_ARGUMENTS};

    private static Attributes.AttrSource source(Stat st, int minor) {
        return source(st, minor, 0);
    }

    private static Attributes.AttrSource source(Stat st, int minor, int cloneBlksize) {
        return new Attributes.AttrSource() {
            public int cloneBlksize() {
                return cloneBlksize;
            }

            public Stat stat() {
                return st;
            }

            public byte[] fileHandle() {
                return new byte[] {1, 2, 3};
            }

            public long fsidMajor() {
                return 1;
            }

            public long fsidMinor() {
                return 0;
            }

            public long mountedOnFileId() {
                return st.ino();
            }

            public int leaseSeconds() {
                return 90;
            }

            public long maxRead() {
                return 1 << 20;
            }

            public long maxWrite() {
                return 1 << 20;
            }

            public boolean persistentHandles() {
                return true;
            }

            public String owner(int uid) {
                return "0";
            }

            public String group(int gid) {
                return "0";
            }

            public long[] fsUsage() {
                return new long[] {1, 1, 1, 1, 1, 1};
            }

            public int minorVersion() {
                return minor;
            }
        };
    }

    /** Encodes {@code bits} and returns a decoder positioned at attr_vals, and the returned bitmap. */
    private static int[] encode(Stat st, int minor, ByteBuf buf, int... bits) throws Exception {
        Attributes.encode(new XdrEncoder(buf), Attributes.bitmap(bits), source(st, minor), -1);
        XdrDecoder in = new XdrDecoder(buf);
        int[] returned = in.readBitmap();
        in.readInt(); // attr_vals length
        return returned;
    }

    @Test
    void minorVersionOneNeitherAdvertisesNorReturnsTheV42Attributes() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            int[] returned = encode(FILE, 1, buf, Attributes.SUPPORTED_ATTRS, Attributes.SPACE_FREED,
                    Attributes.CHANGE_ATTR_TYPE, Attributes.XATTR_SUPPORT, Attributes.OPEN_ARGUMENTS);
            XdrDecoder in = new XdrDecoder(buf);
            int[] supported = in.readBitmap();
            for (int bit : V42) {
                assertThat(Attributes.isSet(supported, bit)).as("advertised %d", bit).isFalse();
                assertThat(Attributes.isSet(returned, bit)).as("returned %d", bit).isFalse();
            }
            assertThat(Attributes.isSet(supported, Attributes.SUPPATTR_EXCLCREAT)).isTrue();
            assertThat(in.remaining()).as("nothing after supported_attrs").isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void minorVersionTwoAdvertisesAndReturnsThem() throws Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            int[] returned = encode(FILE, 2, buf, Attributes.SUPPORTED_ATTRS, Attributes.SPACE_FREED,
                    Attributes.CHANGE_ATTR_TYPE, Attributes.XATTR_SUPPORT, Attributes.OPEN_ARGUMENTS);
            XdrDecoder in = new XdrDecoder(buf);
            int[] supported = in.readBitmap();
            for (int bit : V42) {
                assertThat(Attributes.isSet(supported, bit)).as("advertised %d", bit).isTrue();
                assertThat(Attributes.isSet(returned, bit)).as("returned %d", bit).isTrue();
            }
            assertThat(in.readLong()).as("space_freed of a file's only name: its blocks").isEqualTo(12_288);
            assertThat(in.readInt()).as("change_attr_type: undefined (ctime-based)")
                    .isEqualTo(Attributes.CHANGE_TYPE_IS_UNDEFINED);
            assertThat(in.readBool()).as("xattr_support").isTrue();
            // open_arguments4: share access READ/WRITE/BOTH, every deny, ANY_DELEG/NO_DELEG/CANCEL wants (no
            // delegated timestamps), the claims OPEN serves, every create mode
            assertThat(in.readBitmap()).containsExactly(Attributes.bitmap(1, 2, 3));
            assertThat(in.readBitmap()).containsExactly(Attributes.bitmap(0, 1, 2, 3));
            int[] want = in.readBitmap();
            assertThat(want).containsExactly(Attributes.bitmap(3, 4, 5));
            assertThat(Attributes.isSet(want, 20)).as("WANT_DELEG_TIMESTAMPS").isFalse();
            int[] claims = in.readBitmap();
            assertThat(Attributes.isSet(claims, 3) || Attributes.isSet(claims, 6)).as("DELEGATE_PREV claims").isFalse();
            assertThat(Attributes.isSet(claims, 0) && Attributes.isSet(claims, 4)).isTrue();
            assertThat(in.readBitmap()).containsExactly(Attributes.bitmap(0, 1, 2, 3));
            assertThat(in.remaining()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void spaceFreedIsZeroForOneOfSeveralHardLinksAndTheBlocksOfADirectory() throws Exception {
        for (Stat st : new Stat[] {LINKED, DIR}) {
            ByteBuf buf = Unpooled.buffer();
            try {
                encode(st, 2, buf, Attributes.SPACE_FREED);
                assertThat(new XdrDecoder(buf).readLong()).as("ino %d", st.ino())
                        .isEqualTo(st == LINKED ? 0 : st.spaceUsed());
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void cloneBlksizeIsAdvertisedAndReturnedAtMinorTwoOnlyWhereTheFilesystemReflinks() throws Exception {
        for (int[] c : new int[][] {{1, 4096}, {2, 0}, {2, 4096}}) {
            ByteBuf buf = Unpooled.buffer();
            try {
                Attributes.encode(new XdrEncoder(buf), Attributes.bitmap(Attributes.SUPPORTED_ATTRS,
                        Attributes.CLONE_BLKSIZE), source(FILE, c[0], c[1]), -1);
                XdrDecoder in = new XdrDecoder(buf);
                int[] returned = in.readBitmap();
                in.readInt();
                int[] supported = in.readBitmap();
                boolean served = c[0] == 2 && c[1] != 0;
                assertThat(Attributes.isSet(supported, Attributes.CLONE_BLKSIZE)).as("advertised, case %d/%d", c[0], c[1])
                        .isEqualTo(served);
                assertThat(Attributes.isSet(returned, Attributes.CLONE_BLKSIZE)).as("returned").isEqualTo(served);
                if (served) {
                    assertThat(in.readInt()).isEqualTo(4096);
                }
                assertThat(in.remaining()).isZero();
            } finally {
                buf.release();
            }
        }
    }
}
