package io.edgenfsd.export;

import java.net.InetAddress;
import java.util.Optional;

// TEMPORARY STUB replaced by the export branch
public final class Export {
    private final String path;
    private final int id;
    private final ExportOptions options;

    Export(String path, int id, ExportOptions options) {
        this.path = path;
        this.id = id;
        this.options = options;
    }

    public String path() {
        return path;
    }

    public int id() {
        return id;
    }

    public Optional<ExportOptions> optionsFor(InetAddress client) {
        return Optional.of(options);
    }
}
