package io.edgenfsd.server;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportRule;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.export.ExportsException;
import io.edgenfsd.vfs.LocalFs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Hot reload of the exports (`edge-nfsd reload`, SIGHUP, `systemctl reload`), as `exportfs -r` does for
 * knfsd: the files are read again and checked completely before anything changes; an invalid file is
 * refused with its {@code file:line: problem} and the exports in force stay as they are. A valid one
 * replaces the table for the next call: exports kept keep their ids, handles and every client's state
 * (no grace period: state is not touched at all), changed options apply from the next call, handles of a
 * removed export answer NFS4ERR_STALE, and added ones are served at once.
 */
public final class ExportsReloader {
    private static final Logger log = LoggerFactory.getLogger(ExportsReloader.class);

    /** Where the exports come from: read again at every reload. */
    @FunctionalInterface
    public interface Source {
        ExportTable load() throws ExportsException;
    }

    /** What a reload did: {@code ok} false means refused (nothing changed); {@code message} says why or what. */
    public record Result(boolean ok, String message, List<String> added, List<String> changed,
                         List<String> removed) {
    }

    private final Source source;
    private final LocalFs fs;
    private final java.util.function.Consumer<ExportTable> reloaded;

    /** {@code reloaded} is told the new table once it is in force (e.g. to set up volume capacities). */
    ExportsReloader(Source source, LocalFs fs, java.util.function.Consumer<ExportTable> reloaded) {
        this.source = Objects.requireNonNull(source, "source");
        this.fs = fs;
        this.reloaded = reloaded;
    }

    public synchronized Result reload() {
        ExportTable next;
        try {
            next = source.load();
            ExportsConfig.prepareDirectories(next, false);
        } catch (ExportsException e) {
            log.error("reload refused, the exports in force are unchanged: {}", e.getMessage());
            return new Result(false, e.getMessage(), List.of(), List.of(), List.of());
        }
        ExportTable old = fs.exports();
        next = next.withResolver(old.resolver());
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Export e : next.exports()) {
            var before = old.byPath(e.path());
            if (before.isEmpty()) {
                added.add(e.path());
            } else if (!sameRules(before.get(), e)) {
                changed.add(e.path());
            }
        }
        for (Export e : old.exports()) {
            if (next.byPath(e.path()).isEmpty()) {
                removed.add(e.path());
            }
        }
        try {
            fs.replaceExports(next);
        } catch (IOException e) {
            String msg = "cannot open an added export: " + e.getMessage();
            log.error("reload refused, the exports in force are unchanged: {}", msg);
            return new Result(false, msg, List.of(), List.of(), List.of());
        }
        reloaded.accept(next);
        String msg = String.format("exports reloaded: %d export(s); added %s, changed %s, removed %s",
                next.exports().size(), list(added), list(changed), list(removed));
        log.info(msg);
        for (String p : removed) {
            log.info("export {} removed: its clients now get 'Stale file handle' for it", p);
        }
        return new Result(true, msg, List.copyOf(added), List.copyOf(changed), List.copyOf(removed));
    }

    private static String list(List<String> l) {
        return l.isEmpty() ? "none" : String.join(" ", l);
    }

    /** Same clients with the same options (where a rule was written does not matter). */
    private static boolean sameRules(Export a, Export b) {
        if (a.rules().size() != b.rules().size() || a.id() != b.id()) {
            return false;
        }
        for (int i = 0; i < a.rules().size(); i++) {
            ExportRule x = a.rules().get(i);
            ExportRule y = b.rules().get(i);
            if (!x.client().equals(y.client()) || !x.options().equals(y.options())) {
                return false;
            }
        }
        return Objects.equals(a.mountpoint(), b.mountpoint()) && a.capacity().equals(b.capacity());
    }
}
