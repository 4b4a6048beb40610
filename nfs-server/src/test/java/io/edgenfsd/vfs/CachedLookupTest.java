package io.edgenfsd.vfs;

import io.edgenfsd.client.Cred;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** LOOKUP of a name whose object is cached reuses the cached fd, and still follows what the name now is. */
class CachedLookupTest {
    @TempDir
    Path tmp;

    private static long openFds() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void repeatedLookupOfACachedNameOpensNoNewFdAndAFileReplacedOnTheHostGetsItsOwnHandle() throws Exception {
        Path export = Files.createDirectories(tmp.resolve("exp"));
        try (TestServer server = TestServer.start(tmp.resolve("state"), 1 << 20,
                export + " *(rw,sync,no_root_squash,insecure)")) {
            NfsSession s = server.session(Cred.root());
            Path f = export.resolve("a");
            Files.writeString(f, "first");
            byte[] first = s.lookupPath(f.toString());
            long before = openFds();
            for (int i = 0; i < 300; i++) {
                assertThat(s.lookupPath(f.toString())).isEqualTo(first);
            }
            // each uncached LOOKUP opened an fd that only the Cleaner closed: 300 more without a GC
            assertThat(openFds() - before).isLessThan(50);

            Path moved = export.resolve("a.old");
            Files.move(f, moved); // behind the server's back: the cached object now has another name
            Files.writeString(f, "second file");
            byte[] second = s.lookupPath(f.toString());
            assertThat(second).isNotEqualTo(first);
            assertThat(s.lookupPath(moved.toString())).isEqualTo(first);
        }
    }
}
