package io.edgenfsd.server;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.export.ExportsException;
import io.edgenfsd.export.ExportsFile;
import io.edgenfsd.export.SourcedLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Where exports come from: --exports files, --export lines, or the built-in default. */
public final class ExportsConfig {
    public static final String DEFAULT_EXPORT = "/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash)";

    private ExportsConfig() {
    }

    public static boolean isDefault(List<Path> files, List<String> lines) {
        return files.isEmpty() && lines.isEmpty();
    }

    /** Parses everything into one table; errors carry "source:line: what". */
    public static ExportTable load(List<Path> files, List<String> lines) throws ExportsException {
        List<SourcedLine> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(ExportsFile.load(f));
        }
        int n = 1;
        for (String l : lines) {
            all.add(new SourcedLine("--export #" + n++, 1, l));
        }
        if (all.isEmpty()) {
            all.add(new SourcedLine("built-in default", 1, DEFAULT_EXPORT));
        }
        ExportTable t = ExportTable.parse(all);
        if (t.isEmpty()) {
            throw new ExportsException(files.isEmpty() ? "--export" : files.get(0).toString(), 0,
                    "no exports defined");
        }
        return t;
    }

    static boolean isMountPoint(Path p) {
        try {
            Path parent = p.toRealPath().getParent();
            if (parent == null) {
                return true;
            }
            Object dev = Files.getAttribute(p, "unix:dev");
            return !dev.equals(Files.getAttribute(parent, "unix:dev"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Checks that every exported directory exists; the built-in default export is created when missing
     * (mode 0755), because running with no arguments must just work.
     */
    public static void prepareDirectories(ExportTable t, boolean createMissing) throws ExportsException {
        for (Export e : t.exports()) {
            Path p = Path.of(e.path());
            String where = e.rules().isEmpty() ? e.path() : e.rules().get(0).source();
            if (!Files.exists(p)) {
                if (!createMissing) {
                    throw new ExportsException(where, 0, "exported directory " + p + " does not exist");
                }
                try {
                    Files.createDirectories(p, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwxr-xr-x")));
                } catch (IOException ex) {
                    throw new ExportsException(where, 0, "cannot create " + p + ": " + ex.getMessage());
                }
            }
            if (!Files.isDirectory(p)) {
                throw new ExportsException(where, 0, "exported path " + p + " is not a directory");
            }
            if (e.mountpoint().isPresent()) {
                // knfsd's 'mountpoint': never export the empty directory under a disk that is not mounted
                Path mp = e.mountpoint().get().isEmpty() ? p : Path.of(e.mountpoint().get());
                if (!isMountPoint(mp)) {
                    throw new ExportsException(where, 0, "export " + p + " has 'mountpoint' but nothing is mounted on "
                            + mp + " (is the disk attached and mounted?)");
                }
            }
        }
    }
}
