package io.edgenfsd.vfs.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class JnaStubTest {
    @Test
    void unpackWritesThisPlatformsStubByteForByteAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path stub = JnaStub.unpack(dir.resolve("jna"));

        assertThat(stub).isEqualTo(dir.resolve("jna").resolve("libjnidispatch.so"));
        byte[] expected;
        try (InputStream in = JnaStub.class.getResourceAsStream(
                "/com/sun/jna/" + com.sun.jna.Platform.RESOURCE_PREFIX + "/libjnidispatch.so")) {
            expected = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(stub)).isEqualTo(expected);
        // an ELF shared object, not an empty or truncated copy
        assertThat(expected.length).isGreaterThan(64 * 1024);
        assertThat(new String(expected, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ELF");
        try (var files = Files.list(dir.resolve("jna"))) {
            assertThat(files).containsExactly(stub);
        }
    }

    @Test
    void unpackReplacesAStaleStubOfAnotherVersion(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("libjnidispatch.so"), new byte[] {1, 2, 3});

        Path stub = JnaStub.unpack(dir);

        assertThat(Files.size(stub)).isGreaterThan(64 * 1024);
    }
}
