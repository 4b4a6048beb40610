package io.edgenfsd.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The exports(5) line of each PV's own directory ({@code manifest --subdir}): the directory exported on
 * its own with edge-nfsd's {@code capacity=} set to the PV's size, so the server enforces it (project
 * quotas) and `df` in the pod shows it.
 */
final class SubdirExports {
    static final String OPTIONS = "rw,sync,no_root_squash,no_all_squash";

    private SubdirExports() {
    }

    static String line(String dir, String size) {
        return dir + " *(" + OPTIONS + ",capacity=" + size + ")";
    }

    /**
     * Appends the lines of {@code dirs} not yet exported in {@code file} (created 0644 when missing);
     * returns the lines added.
     */
    static List<String> append(Path file, List<String> dirs, String size) throws IOException {
        List<String> present = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> added = new ArrayList<>();
        for (String d : dirs) {
            boolean listed = present.stream().map(String::strip).anyMatch(l -> l.startsWith(d + " ") || l.equals(d));
            if (!listed) {
                added.add(line(d, size));
            }
        }
        if (!added.isEmpty()) {
            Files.write(file, added, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return added;
    }
}
