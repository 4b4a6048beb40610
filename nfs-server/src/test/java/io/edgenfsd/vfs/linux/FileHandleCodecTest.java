package io.edgenfsd.vfs.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHandleCodecTest {

    @TempDir
    Path state;

    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 8);
    }

    private final FileHandleCodec codec = FileHandleCodec.withKey(KEY);

    private static KernelHandle kh(int type, int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return new KernelHandle(type, b, 42);
    }

    private BadHandleException.Reason reasonOf(byte[] fh) {
        try {
            codec.decode(fh);
            return null;
        } catch (BadHandleException e) {
            return e.reason();
        }
    }

    @Test
    void encodeDecodeRoundTripsExportIdTypeAndBytesInTheDocumentedLayout() throws Exception {
        KernelHandle h = kh(1, 8, 1);
        byte[] fh = codec.encode(0x01020304, h);
        assertThat(fh).hasSize(1 + 4 + 4 + 1 + 8 + 16);
        assertThat(fh[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(fh, 1, 5)).containsExactly(1, 2, 3, 4);
        assertThat(Arrays.copyOfRange(fh, 5, 9)).containsExactly(0, 0, 0, 1);
        assertThat(fh[9]).isEqualTo((byte) 8);
        assertThat(Arrays.copyOfRange(fh, 10, 18)).isEqualTo(h.bytes());
        FileHandleCodec.Decoded d = codec.decode(fh);
        assertThat(d.exportId()).isEqualTo(0x01020304);
        assertThat(d.isMemory()).isFalse();
        assertThat(d.kernelHandle().sameObjectAs(h)).isTrue();
    }

    @Test
    void theLargestKernelHandleFitsNfs4FhsizeAndOneByteMoreIsRefused() throws Exception {
        byte[] fh = codec.encode(1, kh(0x81, FileHandleCodec.MAX_KERNEL_BYTES, 2));
        assertThat(fh).hasSize(128);
        assertThat(codec.decode(fh).payload()).hasSize(FileHandleCodec.MAX_KERNEL_BYTES);
        assertThatThrownBy(() -> codec.encode(1, kh(1, FileHandleCodec.MAX_KERNEL_BYTES + 1, 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everySingleFlippedBitIsBadHandle() {
        byte[] fh = codec.encode(9, kh(1, 12, 4));
        for (int i = 0; i < fh.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = fh.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThat(reasonOf(bad)).as("byte %d bit %d", i, bit).isNotNull();
            }
        }
    }

    @Test
    void changingTheExportIdWithoutTheKeyIsBadHandleByMac() {
        byte[] fh = codec.encode(1, kh(1, 8, 5));
        fh[4] = 2; // export 1 -> 2
        assertThat(reasonOf(fh)).isEqualTo(BadHandleException.Reason.MAC);
    }

    @Test
    void aHandleFromADifferentKeyIsBadHandle() {
        byte[] fh = FileHandleCodec.withKey(OTHER_KEY).encode(1, kh(1, 8, 6));
        assertThat(reasonOf(fh)).isEqualTo(BadHandleException.Reason.MAC);
        byte[] mem = FileHandleCodec.withKey(OTHER_KEY).encodeMemory(1, 77);
        assertThat(reasonOf(mem)).isEqualTo(BadHandleException.Reason.MAC);
    }

    @Test
    void truncatedExtendedEmptyOversizedAndWrongVersionHandlesAreBadHandle() {
        byte[] fh = codec.encode(1, kh(1, 8, 7));
        assertThat(reasonOf(Arrays.copyOf(fh, fh.length - 1))).isEqualTo(BadHandleException.Reason.LENGTH);
        assertThat(reasonOf(Arrays.copyOf(fh, fh.length + 1))).isEqualTo(BadHandleException.Reason.LENGTH);
        assertThat(reasonOf(new byte[0])).isEqualTo(BadHandleException.Reason.LENGTH);
        assertThat(reasonOf(null)).isEqualTo(BadHandleException.Reason.LENGTH);
        assertThat(reasonOf(new byte[129])).isEqualTo(BadHandleException.Reason.LENGTH);
        byte[] v3 = fh.clone();
        v3[0] = 3;
        assertThat(reasonOf(v3)).isEqualTo(BadHandleException.Reason.VERSION);
        byte[] v2 = fh.clone();
        v2[0] = 2; // a version-1 handle read as a crossed-mount one: its lengths no longer add up
        assertThat(reasonOf(v2)).isEqualTo(BadHandleException.Reason.LENGTH);
    }

    @Test
    void randomGarbageOfEveryLengthIsBadHandle() {
        Random r = new Random(12345);
        for (int n = 0; n < 20_000; n++) {
            byte[] junk = new byte[r.nextInt(140)];
            r.nextBytes(junk);
            if (junk.length > 0 && r.nextBoolean()) {
                junk[0] = 1; // get past the version check more often
            }
            assertThat(reasonOf(junk)).isNotNull();
        }
    }

    @Test
    void memoryHandlesRoundTripAndAreMacProtected() throws Exception {
        byte[] fh = codec.encodeMemory(3, 0x1122334455667788L);
        FileHandleCodec.Decoded d = codec.decode(fh);
        assertThat(d.isMemory()).isTrue();
        assertThat(d.memoryId()).isEqualTo(0x1122334455667788L);
        assertThat(d.exportId()).isEqualTo(3);
        assertThatThrownBy(d::kernelHandle).isInstanceOf(IllegalStateException.class);
        byte[] bad = fh.clone();
        bad[17] ^= 1; // the id's last byte
        assertThat(reasonOf(bad)).isEqualTo(BadHandleException.Reason.MAC);
    }

    @Test
    void kernelHandlesMayNotUseTheReservedMemoryType() {
        assertThatThrownBy(() -> codec.encode(1, kh(FileHandleCodec.MEMORY_TYPE, 8, 8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstStartCreatesA0600KeyFileAndLaterStartsReuseIt() throws Exception {
        Path dir = state.resolve("var/lib/edge-nfsd");
        FileHandleCodec first = FileHandleCodec.loadOrCreate(dir);
        Path key = dir.resolve("handle.key");
        assertThat(Files.size(key)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("handle.key"); // no temp left
        }
        byte[] keyBytes = Files.readAllBytes(key);
        assertThat(keyBytes).isNotEqualTo(new byte[32]);

        byte[] fh = first.encode(5, kh(1, 8, 9));
        FileHandleCodec second = FileHandleCodec.loadOrCreate(dir); // "restart"
        assertThat(second.decode(fh).exportId()).isEqualTo(5);
        assertThat(Files.readAllBytes(key)).isEqualTo(keyBytes);
    }

    @Test
    void twoStateDirectoriesGetDifferentKeys() throws Exception {
        FileHandleCodec a = FileHandleCodec.loadOrCreate(state.resolve("a"));
        FileHandleCodec b = FileHandleCodec.loadOrCreate(state.resolve("b"));
        byte[] fh = a.encode(1, kh(1, 8, 10));
        assertThatThrownBy(() -> b.decode(fh)).isInstanceOf(BadHandleException.class);
    }

    @Test
    void aGroupOrWorldReadableKeyFileIsAClearError() throws Exception {
        FileHandleCodec.loadOrCreate(state);
        Path key = state.resolve("handle.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> FileHandleCodec.loadOrCreate(state))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> FileHandleCodec.loadOrCreate(state)).hasMessageContaining("chmod 600");
    }

    @Test
    void aKeyFileOfTheWrongSizeIsAClearError() throws Exception {
        FileHandleCodec.loadOrCreate(state);
        Path key = state.resolve("handle.key");
        Files.write(key, new byte[31]);
        assertThatThrownBy(() -> FileHandleCodec.loadOrCreate(state))
                .isInstanceOf(IOException.class).hasMessageContaining("31 bytes, expected 32");
        Files.write(key, new byte[0]);
        assertThatThrownBy(() -> FileHandleCodec.loadOrCreate(state)).hasMessageContaining("0 bytes");
    }

    @Test
    void aSymlinkedKeyFileIsRefused() throws Exception {
        Path elsewhere = Files.write(state.resolve("k"), new byte[32]);
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
        Path dir = Files.createDirectory(state.resolve("s"));
        Files.createSymbolicLink(dir.resolve("handle.key"), elsewhere);
        assertThatThrownBy(() -> FileHandleCodec.loadOrCreate(dir)).hasMessageContaining("not a regular file");
    }

    @Test
    void aRealKernelHandleSurvivesEncodeDecodeAndOpensTheRenamedFile() throws Exception {
        Root.require();
        Path f = Files.writeString(state.resolve("data"), "abc");
        byte[] fh = codec.encode(1, LinuxCalls.nameToHandle(f, false));
        Path g = Files.move(f, state.resolve("renamed"));
        KernelHandle back = codec.decode(fh).kernelHandle();
        int mountFd = LinuxCalls.openMountFd(state);
        try {
            int fd = LinuxCalls.openByHandle(mountFd, back, LinuxCalls.O_RDONLY);
            try {
                assertThat(LinuxCalls.fstat(fd).ino()).isEqualTo(LinuxCalls.lstat(g).ino());
            } finally {
                LinuxCalls.close(fd);
            }
        } finally {
            LinuxCalls.close(mountFd);
        }
    }

    @Test
    void aCrossedMountHandleCarriesItsFilesystemUnderTheMac() throws Exception {
        byte[] fh = codec.encode(7, kh(1, 8, 7), 0x1234_5678_9aL);
        FileHandleCodec.Decoded d = codec.decode(fh);
        assertThat(d.fsDev()).isEqualTo(0x1234_5678_9aL);
        assertThat(d.exportId()).isEqualTo(7);
        assertThat(d.kernelHandle().sameObjectAs(kh(1, 8, 7))).isTrue();
        assertThat(codec.decode(codec.encode(7, kh(1, 8, 7))).fsDev()).isZero();
        byte[] other = fh.clone();
        other[12] ^= 1; // another filesystem's dev: the MAC no longer matches
        assertThat(reasonOf(other)).isEqualTo(BadHandleException.Reason.MAC);
    }

    @Test
    void handleMacIsHmacSha256AsRfc4231TestVectorsGiveIt() {
        // RFC 4231 section 4.2 (test case 1), 4.3 (case 2) and 4.7 (case 6: a key longer than the block)
        assertThat(hmacHex(repeat(0x0b, 20), "Hi There".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(hmacHex("Jefe".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "what do ya want for nothing?".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(hmacHex(repeat(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void handlesSealedWithTheJceMacStillVerifySoHandlesSurviveTheChange() throws Exception {
        Random r = new Random(14);
        for (int n = 0; n < 50; n++) {
            byte[] key = new byte[FileHandleCodec.KEY_SIZE];
            r.nextBytes(key);
            byte[] kernel = new byte[1 + r.nextInt(FileHandleCodec.MAX_KERNEL_BYTES)];
            r.nextBytes(kernel);
            FileHandleCodec codec = FileHandleCodec.withKey(key);
            byte[] fh = codec.encode(7, new KernelHandle(1 + r.nextInt(100), kernel, 42));
            int bodyLen = fh.length - FileHandleCodec.MAC_SIZE;
            javax.crypto.Mac jce = javax.crypto.Mac.getInstance("HmacSHA256");
            jce.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            jce.update(fh, 0, bodyLen);
            assertThat(Arrays.copyOfRange(fh, bodyLen, fh.length))
                    .isEqualTo(Arrays.copyOf(jce.doFinal(), FileHandleCodec.MAC_SIZE));
        }
    }

    private static String hmacHex(byte[] key, byte[] data) {
        FileHandleCodec.HmacSha256 h = new FileHandleCodec.HmacSha256(key);
        java.security.MessageDigest[] pair = h.newPair();
        h.mac(pair, data, data.length); // a second call on the same digests gives the same (they reset)
        return java.util.HexFormat.of().formatHex(h.mac(pair, data, data.length));
    }

    private static byte[] repeat(int b, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }
}
