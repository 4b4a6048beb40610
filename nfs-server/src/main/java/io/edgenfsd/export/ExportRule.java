package io.edgenfsd.export;

import java.util.Objects;

/** One client of one export with its options; {@code source} is {@code "file:line"} where it was written. */
public record ExportRule(ClientSpec client, ExportOptions options, String source) {
    public ExportRule {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(source, "source");
    }
}
