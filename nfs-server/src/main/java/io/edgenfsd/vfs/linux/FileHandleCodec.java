package io.edgenfsd.vfs.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * NFS file handles as sent on the wire (DESIGN.md, "file handles"):
 *
 * <pre>
 * [version:1 = 1][export id:4][handle type:4][kernel handle length:1][kernel handle bytes][MAC:16]
 * </pre>
 *
 * or, for an object on a filesystem mounted inside the export and reached through {@code crossmnt}:
 *
 * <pre>
 * [version:1 = 2][export id:4][filesystem dev:8][handle type:4][kernel handle length:1][kernel handle bytes][MAC:16]
 * </pre>
 *
 * (kernel handles are per filesystem: the dev says which mount fd {@code open_by_handle_at} needs); all
 * integers big-endian; MAC = the first 16 bytes of HMAC-SHA256(key, everything before it). Total at most
 * {@link #MAX_SIZE} (NFS4_FHSIZE = 128) bytes, so a kernel handle may have at most {@link #MAX_KERNEL_BYTES}.
 * Handle type {@link #MEMORY_TYPE} (-1; the kernel never uses it) marks the in-memory fallback, whose payload
 * is an 8-byte object id under the same MAC.
 *
 * <p>The key is 32 random bytes in {@code <stateDir>/handle.key}, created mode 0600 on first start and read on
 * later starts, so handles survive restarts. The MAC stops clients from forging handles to objects the server
 * never gave out (e.g. outside the export). Thread-safe.
 */
public final class FileHandleCodec {

    public static final int VERSION = 1;
    /** Version of handles that name their filesystem (a mount crossed with crossmnt). */
    public static final int VERSION_CROSSED = 2;
    private static final int DEV_SIZE = 8;
    public static final int MAX_SIZE = 128;
    public static final int MAC_SIZE = 16;
    public static final int HEADER_SIZE = 1 + 4 + 4 + 1;
    public static final int MAX_KERNEL_BYTES = MAX_SIZE - HEADER_SIZE - MAC_SIZE;
    /** Handle type of in-memory handles (no kernel handles available). */
    public static final int MEMORY_TYPE = -1;
    public static final int KEY_SIZE = 32;
    public static final String KEY_FILE = "handle.key";

    private static final Set<PosixFilePermission> OWNER_RW =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final HmacSha256 hmac;
    private final ThreadLocal<MessageDigest[]> digests;

    private FileHandleCodec(byte[] keyBytes) {
        if (keyBytes.length != KEY_SIZE) {
            throw new IllegalArgumentException("handle key must be " + KEY_SIZE + " bytes");
        }
        this.hmac = new HmacSha256(keyBytes);
        this.digests = ThreadLocal.withInitial(hmac::newPair);
    }

    /** A codec with the given 32-byte key (tests, tools). */
    public static FileHandleCodec withKey(byte[] key) {
        return new FileHandleCodec(key);
    }

    /**
     * Reads {@code <stateDir>/handle.key}, or creates it on first start: 32 bytes from {@link SecureRandom},
     * written to a 0600 temporary file, fsync'ed, hard-linked to its final name (atomic, and never replaces a
     * key another process created meanwhile), then the directory fsync'ed. The state directory is created
     * (0700) if missing.
     *
     * @throws IOException with a message saying what to fix, when the key file is not a regular file, has any
     *                     group/other permission bits, or is not exactly 32 bytes long
     */
    public static FileHandleCodec loadOrCreate(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir)) {
            Files.createDirectories(stateDir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path keyFile = stateDir.resolve(KEY_FILE);
        if (!Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            try {
                createKeyFile(stateDir, keyFile);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        return new FileHandleCodec(readKeyFile(keyFile));
    }

    private static void createKeyFile(Path dir, Path keyFile) throws IOException {
        byte[] k = new byte[KEY_SIZE];
        new SecureRandom().nextBytes(k);
        Path tmp = Files.createTempFile(dir, KEY_FILE + ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_RW));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(k);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.createLink(keyFile, tmp); // atomic, no-clobber
        } finally {
            Arrays.fill(k, (byte) 0);
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static byte[] readKeyFile(Path keyFile) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(keyFile, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new IOException("file handle key " + keyFile + " is missing", e);
        }
        if (!a.isRegularFile()) {
            throw new IOException("file handle key " + keyFile + " is not a regular file (symbolic link?);"
                    + " remove it to have a new key created (all existing file handles become invalid)");
        }
        Set<PosixFilePermission> bad = EnumSet.noneOf(PosixFilePermission.class);
        bad.addAll(a.permissions());
        bad.retainAll(GROUP_OR_OTHER);
        if (!bad.isEmpty()) {
            throw new IOException("file handle key " + keyFile + " has permissions "
                    + PosixFilePermissions.toString(a.permissions()) + "; it must be readable by its owner only:"
                    + " chmod 600 " + keyFile + " (and consider it leaked: anyone who read it can forge file handles)");
        }
        if (a.size() != KEY_SIZE) {
            throw new IOException("file handle key " + keyFile + " has " + a.size() + " bytes, expected " + KEY_SIZE
                    + " (damaged?); remove it to have a new key created (all existing file handles become invalid)");
        }
        byte[] k = Files.readAllBytes(keyFile);
        if (k.length != KEY_SIZE) {
            throw new IOException("file handle key " + keyFile + " changed size while being read");
        }
        return k;
    }

    // ---------------------------------------------------------------- encode

    /**
     * The wire handle of a kernel handle in export {@code exportId}.
     *
     * @throws IllegalArgumentException if the kernel handle has more than {@link #MAX_KERNEL_BYTES} bytes or
     *                                  uses the reserved type {@link #MEMORY_TYPE}
     */
    public byte[] encode(int exportId, KernelHandle h) {
        if (h.type() == MEMORY_TYPE) {
            throw new IllegalArgumentException("kernel handle type " + MEMORY_TYPE + " is reserved");
        }
        return seal(exportId, 0, h.type(), h.bytes());
    }

    /**
     * The wire handle of a kernel handle of an object on filesystem {@code fsDev} (its st_dev), mounted inside
     * export {@code exportId}; {@code fsDev} 0 is the export's own filesystem ({@link #encode(int, KernelHandle)}).
     */
    public byte[] encode(int exportId, KernelHandle h, long fsDev) {
        if (h.type() == MEMORY_TYPE) {
            throw new IllegalArgumentException("kernel handle type " + MEMORY_TYPE + " is reserved");
        }
        return seal(exportId, fsDev, h.type(), h.bytes());
    }

    /** The wire handle of an in-memory object id (fallback when kernel handles are not available). */
    public byte[] encodeMemory(int exportId, long id) {
        return seal(exportId, 0, MEMORY_TYPE, ByteBuffer.allocate(8).putLong(id).array());
    }

    private byte[] seal(int exportId, long fsDev, int type, byte[] payload) {
        int header = fsDev == 0 ? HEADER_SIZE : HEADER_SIZE + DEV_SIZE;
        if (payload.length == 0 || payload.length > MAX_SIZE - header - MAC_SIZE) {
            throw new IllegalArgumentException("handle payload of " + payload.length + " bytes does not fit a "
                    + MAX_SIZE + "-byte NFS file handle (max " + (MAX_SIZE - header - MAC_SIZE) + ")");
        }
        int bodyLen = header + payload.length;
        ByteBuffer b = ByteBuffer.allocate(bodyLen + MAC_SIZE);
        if (fsDev == 0) {
            b.put((byte) VERSION).putInt(exportId);
        } else {
            b.put((byte) VERSION_CROSSED).putInt(exportId).putLong(fsDev);
        }
        b.putInt(type).put((byte) payload.length).put(payload);
        byte[] out = b.array();
        byte[] mac = mac(out, bodyLen);
        System.arraycopy(mac, 0, out, bodyLen, MAC_SIZE);
        return out;
    }

    private byte[] mac(byte[] data, int len) {
        return hmac.mac(digests.get(), data, len);
    }

    /**
     * HMAC-SHA256 (RFC 2104) on the JDK's SHA-256 {@link MessageDigest}: the same bytes as
     * {@code javax.crypto.Mac} "HmacSHA256" (FileHandleCodecTest checks RFC 4231's vectors), without the
     * JCE. Mac.getInstance loaded every security provider of java.security and parsed the crypto policy
     * files: 1.2 of 7.2 s to a bound port on a host with -Xint (a stand-in for the emulated board of
     * it/server-guest), for a MAC over 40 bytes. SHA-256 comes from the first provider (SUN), which
     * SecureRandom already loaded.
     */
    static final class HmacSha256 {
        private static final int BLOCK = 64;
        private final byte[] innerPad = new byte[BLOCK];
        private final byte[] outerPad = new byte[BLOCK];

        HmacSha256(byte[] key) {
            byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
            for (int i = 0; i < BLOCK; i++) {
                byte b = i < k.length ? k[i] : 0;
                innerPad[i] = (byte) (b ^ 0x36);
                outerPad[i] = (byte) (b ^ 0x5c);
            }
        }

        /** A thread's inner and outer digest (MessageDigest is not thread-safe). */
        MessageDigest[] newPair() {
            return new MessageDigest[] {sha256(), sha256()};
        }

        byte[] mac(MessageDigest[] pair, byte[] data, int len) {
            MessageDigest inner = pair[0];
            MessageDigest outer = pair[1];
            inner.update(innerPad);
            inner.update(data, 0, len);
            outer.update(outerPad);
            outer.update(inner.digest()); // digest() resets for the next call
            return outer.digest();
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e); // every JDK has it
            }
        }
    }

    // ---------------------------------------------------------------- decode

    /** A verified wire handle; {@code fsDev} is 0 for the export's own filesystem, else the crossed mount's dev. */
    public record Decoded(int exportId, int handleType, byte[] payload, long fsDev) {
        public Decoded {
            payload = Arrays.copyOf(payload, payload.length);
        }

        public Decoded(int exportId, int handleType, byte[] payload) {
            this(exportId, handleType, payload, 0);
        }

        @Override
        public byte[] payload() {
            return Arrays.copyOf(payload, payload.length);
        }

        /** True for an in-memory handle ({@link #memoryId()}), false for a kernel handle. */
        public boolean isMemory() {
            return handleType == MEMORY_TYPE;
        }

        public long memoryId() {
            if (!isMemory()) {
                throw new IllegalStateException("not an in-memory handle");
            }
            return ByteBuffer.wrap(payload).getLong();
        }

        /** The kernel handle (mount id unknown: -1). */
        public KernelHandle kernelHandle() {
            if (isMemory()) {
                throw new IllegalStateException("not a kernel handle");
            }
            return new KernelHandle(handleType, payload, -1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Decoded d && d.exportId == exportId && d.handleType == handleType
                    && Arrays.equals(d.payload, payload) && d.fsDev == fsDev;
        }

        @Override
        public int hashCode() {
            return ((31 * exportId + handleType) * 31 + Arrays.hashCode(payload)) * 31 + Long.hashCode(fsDev);
        }

        @Override
        public String toString() {
            return "Decoded[export=" + exportId + ", type=" + handleType + ", payload="
                    + HexFormat.of().formatHex(payload) + (fsDev == 0 ? "" : ", fsDev=" + fsDev) + "]";
        }
    }

    /**
     * Verifies and unpacks a wire handle. The MAC is compared in constant time; nothing of the handle is
     * trusted before it matched.
     *
     * @throws BadHandleException (NFS4ERR_BADHANDLE) for a wrong length, version or MAC, or a memory handle
     *                            whose payload is not 8 bytes
     */
    public Decoded decode(byte[] fh) throws BadHandleException {
        if (fh == null || fh.length < HEADER_SIZE + 1 + MAC_SIZE || fh.length > MAX_SIZE) {
            throw new BadHandleException(BadHandleException.Reason.LENGTH, "handle length "
                    + (fh == null ? "null" : fh.length));
        }
        int version = fh[0] & 0xff;
        if (version != VERSION && version != VERSION_CROSSED) {
            throw new BadHandleException(BadHandleException.Reason.VERSION, "handle version " + version);
        }
        int header = version == VERSION ? HEADER_SIZE : HEADER_SIZE + DEV_SIZE;
        if (fh.length < header + 1 + MAC_SIZE) {
            throw new BadHandleException(BadHandleException.Reason.LENGTH, "handle length " + fh.length);
        }
        int payloadLen = fh[header - 1] & 0xff;
        int bodyLen = header + payloadLen;
        if (payloadLen == 0 || bodyLen + MAC_SIZE != fh.length) {
            throw new BadHandleException(BadHandleException.Reason.LENGTH, "handle length " + fh.length
                    + " does not match payload length " + payloadLen);
        }
        byte[] expected = Arrays.copyOf(mac(fh, bodyLen), MAC_SIZE);
        byte[] actual = Arrays.copyOfRange(fh, bodyLen, fh.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new BadHandleException(BadHandleException.Reason.MAC, "handle MAC mismatch");
        }
        ByteBuffer b = ByteBuffer.wrap(fh);
        b.get();
        int exportId = b.getInt();
        long fsDev = version == VERSION ? 0 : b.getLong();
        int type = b.getInt();
        if (type == MEMORY_TYPE && (payloadLen != 8 || fsDev != 0)) {
            throw new BadHandleException(BadHandleException.Reason.TYPE, "memory handle with " + payloadLen + " bytes");
        }
        if (version == VERSION_CROSSED && fsDev == 0) {
            throw new BadHandleException(BadHandleException.Reason.VERSION, "crossed-mount handle without a filesystem");
        }
        return new Decoded(exportId, type, Arrays.copyOfRange(fh, header, bodyLen), fsDev);
    }
}
