package io.edgenfsd.ops;

import io.edgenfsd.client.Attrs;
import io.edgenfsd.client.NfsSession;
import io.edgenfsd.client.Op;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest extends ProtocolTestBase {
    @Test
    void createWriteReadCloseRoundTripsThroughTheServer() throws Exception {
        NfsSession.OpenFile f = root.create(dirFh, "a.txt", Attrs.mode(0640));
        assertThat(root.write(f, 0, "hello".getBytes(StandardCharsets.UTF_8), Op.FILE_SYNC).count()).isEqualTo(5);
        assertThat(new String(root.read(f, 0, 100).data(), StandardCharsets.UTF_8)).isEqualTo("hello");
        root.close(f);
        assertThat(Files.readString(dir.resolve("a.txt"))).isEqualTo("hello");
    }
}
