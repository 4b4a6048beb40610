package io.edgenfsd.export;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * All exports of the server, immutable.
 *
 * <p>Rules for the same path are merged into one {@link Export}, across lines and files, as exportfs does;
 * the same client spec (compared in {@linkplain ClientSpec#canonical() canonical form}, so
 * {@code 10.0.0.0/8} equals {@code 10.0.0.0/255.0.0.0}) twice for one path is an error naming both places.
 * Two different paths with the same {@code fsid} are an error too, as are two different fsids for one path.
 *
 * <p>Export ids: an export whose fsid is a number from 1 to 2^31-1 gets that number. Every other export
 * gets the first 31 bits of SHA-256(path) (0 becomes 1); if that id is taken (by an fsid or by an
 * earlier path in byte order), the next free value is used, wrapping from 2^31-1 to 1. The id therefore
 * depends only on the set of exported paths and fsids, not on line order or start-up, and survives
 * restarts with the same configuration.
 */
public final class ExportTable {
    private final List<ExportsParser.Entry> entries;
    private final List<Export> exports;
    private final Map<Integer, Export> byId;
    private final Map<String, Export> byPath;
    private final HostNameResolver resolver;

    private ExportTable(List<ExportsParser.Entry> entries, List<Export> exports, HostNameResolver resolver) {
        this.entries = List.copyOf(entries);
        this.exports = List.copyOf(exports);
        this.resolver = resolver;
        Map<Integer, Export> ids = new HashMap<>();
        Map<String, Export> paths = new HashMap<>();
        for (Export e : exports) {
            ids.put(e.id(), e);
            paths.put(e.path(), e);
        }
        this.byId = Map.copyOf(ids);
        this.byPath = Map.copyOf(paths);
    }

    /** A table with no exports. */
    public static ExportTable empty() {
        return new ExportTable(List.of(), List.of(), HostNameResolver.system());
    }

    /** Parses physical lines (possibly from several sources, each line tagged with where it came from). */
    public static ExportTable parse(List<SourcedLine> lines) throws ExportsException {
        return build(ExportsParser.parse(lines), HostNameResolver.system());
    }

    /** Reads an exports file, plus its {@code .d} drop-ins when it lives under /etc (see {@link ExportsFile}). */
    public static ExportTable load(Path file) throws ExportsException {
        return parse(ExportsFile.load(file));
    }

    /** Parses lines given directly, e.g. one {@code --export} flag with {@code sourceName} "--export #1". */
    public static ExportTable fromLines(List<String> lines, String sourceName) throws ExportsException {
        return parse(SourcedLine.of(lines, sourceName));
    }

    /**
     * Both tables' rules as one table (same-path rules merge; a duplicate client across the two is an error).
     * Uses {@code a}'s resolver.
     */
    public static ExportTable merge(ExportTable a, ExportTable b) throws ExportsException {
        List<ExportsParser.Entry> all = new ArrayList<>(a.entries);
        all.addAll(b.entries);
        return build(all, a.resolver);
    }

    /** The same table, matching host names with {@code names} (tests inject canned names here). */
    public ExportTable withResolver(HostNameResolver names) {
        Objects.requireNonNull(names, "names");
        List<Export> ex = new ArrayList<>();
        for (Export e : exports) {
            ex.add(e.withResolver(names));
        }
        return new ExportTable(entries, ex, names);
    }

    public HostNameResolver resolver() {
        return resolver;
    }

    /** Exports in order of first appearance. */
    public List<Export> exports() {
        return exports;
    }

    public Optional<Export> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Looks up by path; the path is normalized first ({@code /srv/} finds {@code /srv}). */
    public Optional<Export> byPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        Export exact = byPath.get(path);
        if (exact != null || isPlainAbsolute(path)) {
            // the per-LOOKUP case: an absolute path with nothing to normalise
            return Optional.ofNullable(exact);
        }
        try {
            return Optional.ofNullable(byPath.get(ExportsParser.normalizePath(path, "", 0)));
        } catch (ExportsException e) {
            return Optional.empty();
        }
    }

    /** Starts with '/', has no empty, "." or ".." component and no trailing '/' (except "/" itself). */
    private static boolean isPlainAbsolute(String p) {
        if (p.isEmpty() || p.charAt(0) != '/') {
            return false;
        }
        if (p.length() == 1) {
            return true;
        }
        if (p.endsWith("/") || p.endsWith("/.") || p.endsWith("/..")) {
            return false;
        }
        return !p.contains("//") && !p.contains("/./") && !p.contains("/../");
    }

    /** The exports that admit {@code client}, in table order. */
    public List<Export> visibleTo(InetAddress client) {
        List<Export> out = new ArrayList<>();
        for (Export e : exports) {
            if (e.optionsFor(client).isPresent()) {
                out.add(e);
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return exports.isEmpty();
    }

    private static ExportTable build(List<ExportsParser.Entry> entries, HostNameResolver resolver)
            throws ExportsException {
        Map<String, List<ExportsParser.Entry>> byPath = new LinkedHashMap<>();
        for (ExportsParser.Entry e : entries) {
            byPath.computeIfAbsent(e.path(), k -> new ArrayList<>()).add(e);
        }
        Map<String, String> fsidOf = new HashMap<>();
        Map<String, ExportsParser.Entry> fsidOwner = new HashMap<>();
        Map<String, String> mountpointOf = new HashMap<>();
        Map<String, ExportsParser.Entry> capacityOf = new HashMap<>();
        for (Map.Entry<String, List<ExportsParser.Entry>> pe : byPath.entrySet()) {
            Map<ClientSpec, ExportsParser.Entry> seen = new HashMap<>();
            ExportsParser.Entry fsidFrom = null;
            for (ExportsParser.Entry e : pe.getValue()) {
                ClientSpec c = e.rule().client();
                ExportsParser.Entry prev = seen.putIfAbsent(c, e);
                if (prev != null) {
                    throw new ExportsException(e.file(), e.line(), "client \"" + c.text() + "\" for " + pe.getKey()
                            + " is already given at " + prev.rule().source()
                            + (prev.rule().client().text().equals(c.text()) ? "" : " as \"" + prev.rule().client().text()
                            + "\""));
                }
                String f = e.rule().options().fsid();
                if (f != null) {
                    if (fsidFrom != null && !fsidFrom.rule().options().fsid().equals(f)) {
                        throw new ExportsException(e.file(), e.line(), "fsid=" + f + " for " + pe.getKey()
                                + " differs from fsid=" + fsidFrom.rule().options().fsid() + " at "
                                + fsidFrom.rule().source());
                    }
                    if (fsidFrom == null) {
                        fsidFrom = e;
                        ExportsParser.Entry other = fsidOwner.putIfAbsent(f, e);
                        if (other != null) {
                            throw new ExportsException(e.file(), e.line(), "fsid=" + f + " of " + pe.getKey()
                                    + " is already used by " + other.path() + " at " + other.rule().source());
                        }
                        fsidOf.put(pe.getKey(), f);
                    }
                }
                if (e.mountpoint() != null) {
                    mountpointOf.putIfAbsent(pe.getKey(), e.mountpoint());
                }
                if (e.capacity() != null) {
                    // the capacity is the directory's, not one client's: all rules must agree
                    ExportsParser.Entry first = capacityOf.putIfAbsent(pe.getKey(), e);
                    if (first != null && !first.capacity().equals(e.capacity())) {
                        throw new ExportsException(e.file(), e.line(), "capacity of " + pe.getKey() + " ("
                                + e.capacity() + " bytes) differs from the one given at " + first.rule().source()
                                + " (" + first.capacity() + " bytes)");
                    }
                }
            }
        }
        Map<String, Integer> ids = assignIds(byPath.keySet(), fsidOf);
        List<Export> exports = new ArrayList<>();
        for (Map.Entry<String, List<ExportsParser.Entry>> pe : byPath.entrySet()) {
            List<ExportRule> rules = new ArrayList<>();
            for (ExportsParser.Entry e : pe.getValue()) {
                rules.add(e.rule());
            }
            String p = pe.getKey();
            ExportsParser.Entry cap = capacityOf.get(p);
            exports.add(new Export(p, ids.get(p), rules, fsidOf.get(p), mountpointOf.get(p),
                    cap == null ? 0 : cap.capacity(), resolver));
        }
        return new ExportTable(entries, exports, resolver);
    }

    private static Map<String, Integer> assignIds(Iterable<String> paths, Map<String, String> fsidOf) {
        Map<String, Integer> ids = new HashMap<>();
        java.util.Set<Integer> used = new java.util.HashSet<>();
        List<String> hashed = new ArrayList<>();
        for (String p : paths) {
            Integer n = numericFsid(fsidOf.get(p));
            if (n != null) {
                ids.put(p, n);
                used.add(n);
            } else {
                hashed.add(p);
            }
        }
        hashed.sort(Comparator.comparing((String s) -> s.getBytes(StandardCharsets.UTF_8),
                java.util.Arrays::compareUnsigned));
        for (String p : hashed) {
            int id = pathHash(p);
            while (used.contains(id)) {
                id = id == Integer.MAX_VALUE ? 1 : id + 1;
            }
            used.add(id);
            ids.put(p, id);
        }
        return ids;
    }

    private static Integer numericFsid(String fsid) {
        if (fsid == null || !fsid.chars().allMatch(Character::isDigit)) {
            return null;
        }
        long v = Long.parseLong(fsid);
        return v >= 1 && v <= Integer.MAX_VALUE ? (int) v : null;
    }

    /** First 31 bits of SHA-256 of the UTF-8 path; never 0. */
    static int pathHash(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            int v = ((d[0] & 0x7F) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
            return v == 0 ? 1 : v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ExportTable" + exports;
    }
}
