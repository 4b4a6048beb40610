package io.edgenfsd.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

// TEMPORARY STUB replaced by the export branch
public final class ExportTable {
    private final List<Export> exports;

    private ExportTable(List<Export> e) {
        exports = e;
    }

    public static ExportTable fromLines(List<String> lines, String source) throws ExportsException {
        List<Export> list = new ArrayList<>();
        for (String l : lines) {
            String[] p = l.trim().split("\\s+", 2);
            String opts = p[1].substring(p[1].indexOf('(') + 1, p[1].indexOf(')'));
            boolean ro = !opts.contains("rw");
            boolean rootSquash = !opts.contains("no_root_squash");
            boolean allSquash = opts.contains("all_squash") && !opts.contains("no_all_squash");
            list.add(new Export(p[0], list.size() + 1, new ExportOptions(ro, !opts.contains("async"), rootSquash,
                    allSquash, 65534, 65534, false, false, false, null, false, true)));
        }
        return new ExportTable(list);
    }

    public static ExportTable load(Path file) throws ExportsException {
        try {
            return fromLines(Files.readAllLines(file).stream().filter(s -> !s.isBlank() && !s.startsWith("#")).toList(),
                    file.toString());
        } catch (java.io.IOException e) {
            throw new ExportsException(e.toString());
        }
    }

    public static ExportTable merge(ExportTable a, ExportTable b) {
        List<Export> l = new ArrayList<>(a.exports);
        l.addAll(b.exports);
        return new ExportTable(l);
    }

    public List<Export> exports() {
        return exports;
    }

    public Optional<Export> byId(int id) {
        return exports.stream().filter(e -> e.id() == id).findFirst();
    }

    public Optional<Export> byPath(String path) {
        return exports.stream().filter(e -> e.path().equals(path)).findFirst();
    }
}
