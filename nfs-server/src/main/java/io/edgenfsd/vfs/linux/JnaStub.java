package io.edgenfsd.vfs.linux;

import com.sun.jna.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Unpacks JNA's native stub (libjnidispatch.so of this machine's platform) from the jar into a directory,
 * once at package installation (the .deb's postinst). The launcher then starts the server with
 * {@code -Djna.boot.library.path=DIR -Djna.nounpack=true}, so JNA loads it from there instead of copying
 * it out of the jar into the temporary directory (and scanning that directory for stale copies) at every
 * start. Without that directory the jar works as before: JNA unpacks the stub itself.
 */
public final class JnaStub {
    /** The file name JNA looks for in {@code jna.boot.library.path}. */
    public static final String FILE = "libjnidispatch.so";

    private JnaStub() {
    }

    /**
     * Writes this platform's stub to {@code dir}/libjnidispatch.so (a temporary file renamed over it, so
     * a server starting meanwhile never loads half a library). Platform only computes names: it does not
     * load the native library.
     */
    public static Path unpack(Path dir) throws IOException {
        String resource = "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + FILE;
        Files.createDirectories(dir);
        Path target = dir.resolve(FILE);
        Path tmp = Files.createTempFile(dir, FILE, ".tmp");
        try (InputStream in = JnaStub.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no JNA stub for platform " + Platform.RESOURCE_PREFIX + " in the jar");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** {@code java -cp edge-nfsd.jar io.edgenfsd.vfs.linux.JnaStub DIR} (the launcher's EDGE_NFSD_JNA_UNPACK). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JnaStub DIR");
            System.exit(2);
        }
        System.out.println(unpack(Path.of(args[0])));
    }
}
