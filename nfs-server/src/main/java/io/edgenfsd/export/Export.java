package io.edgenfsd.export;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One exported path with its client rules (in the order they were written).
 *
 * <p>Which rule applies to a client follows knfsd: first any matching {@link ClientSpec.Kind#HOST} rule,
 * else any matching {@link ClientSpec.Kind#NETWORK} rule, else {@link ClientSpec.Kind#WILDCARD}, else
 * {@link ClientSpec.Kind#ANYONE}; within one kind the rule written first wins (knfsd "arbitrarily chooses
 * the first" there too). A client matching no rule gets {@link Optional#empty()}: the export must be
 * invisible and unusable to it.
 */
public final class Export {
    private static final ClientSpec.Kind[] PRECEDENCE = ClientSpec.Kind.values();

    private final String path;
    private volatile Path root;
    private final int id;
    private final List<ExportRule> rules;
    private final String fsid;
    private final String mountpoint;
    private final long capacity;
    private final HostNameResolver resolver;
    private final boolean needsNameLookup;

    Export(String path, int id, List<ExportRule> rules, String fsid, String mountpoint, long capacity,
           HostNameResolver resolver) {
        this.path = path;
        this.id = id;
        this.rules = List.copyOf(rules);
        this.fsid = fsid;
        this.mountpoint = mountpoint;
        this.capacity = capacity;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.needsNameLookup = this.rules.stream().anyMatch(r -> r.client().needsName());
    }

    /**
     * Whether matching a client against the rules may look up its host name (a rule by name or name
     * pattern): that lookup may wait on DNS, so it is never done on the event loop.
     */
    public boolean needsNameLookup() {
        return needsNameLookup;
    }

    Export withResolver(HostNameResolver r) {
        return new Export(path, id, rules, fsid, mountpoint, capacity, r);
    }

    /**
     * The volume size from {@code capacity=} in bytes, if given: what clients see as the filesystem's size
     * (and, where the filesystem has project quotas, the most its directory tree may hold).
     */
    public java.util.OptionalLong capacity() {
        return capacity > 0 ? java.util.OptionalLong.of(capacity) : java.util.OptionalLong.empty();
    }

    /** Normalized absolute path: no trailing slash except for "/". */
    public String path() {
        return path;
    }

    /** {@link #path()} as a Path (kept: per-request containment checks compare against it). */
    public Path root() {
        Path r = root;
        if (r == null) {
            r = Path.of(path); // lazily: parsing exports must not depend on the locale's file name charset
            root = r;
        }
        return r;
    }

    /**
     * Stable non-zero id (31 bits) for file handles: the numeric {@code fsid} when it is 1..2^31-1,
     * else derived from a SHA-256 hash of the path (see {@link ExportTable}).
     */
    public int id() {
        return id;
    }

    public List<ExportRule> rules() {
        return rules;
    }

    /** The fsid given on any rule of this export ({@code "0"} for fsid=root), if any. */
    public Optional<String> fsid() {
        return Optional.ofNullable(fsid);
    }

    /**
     * knfsd's {@code fsid=0}/{@code fsid=root}: under knfsd this export is the root of the NFSv4
     * pseudo-filesystem (clients mount {@code server:/} to reach it).
     */
    public boolean isFsidRoot() {
        return "0".equals(fsid);
    }

    /**
     * The {@code mountpoint}/{@code mp} requirement, if any rule has one: an empty string means the export
     * path itself must be a mount point, otherwise the given absolute path must be. knfsd refuses to export
     * the path while the requirement is not met; this package only records it.
     */
    public Optional<String> mountpoint() {
        return Optional.ofNullable(mountpoint);
    }

    /** The options for {@code client}, or empty when no rule admits it. Uses the table's resolver. */
    public Optional<ExportOptions> optionsFor(InetAddress client) {
        return ruleFor(client, resolver).map(ExportRule::options);
    }

    /** The options for {@code client}, or empty when no rule admits it. */
    public Optional<ExportOptions> optionsFor(InetAddress client, HostNameResolver names) {
        return ruleFor(client, names).map(ExportRule::options);
    }

    /** The rule that applies to {@code client} (knfsd precedence), or empty; names looked up at most once. */
    public Optional<ExportRule> ruleFor(InetAddress client, HostNameResolver names) {
        Objects.requireNonNull(client, "client");
        HostNameResolver once = new OncePerCall(names);
        for (ClientSpec.Kind kind : PRECEDENCE) {
            for (ExportRule r : rules) {
                if (r.client().kind() == kind && r.client().matches(client, once)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether any rule admits {@code client}. */
    public boolean isVisibleTo(InetAddress client) {
        return optionsFor(client).isPresent();
    }

    @Override
    public String toString() {
        return "Export[" + path + " id=" + id + " rules=" + rules.size() + "]";
    }

    /** Memoizes the answers of a resolver for one match, so one client causes at most one reverse lookup. */
    private static final class OncePerCall implements HostNameResolver {
        private final HostNameResolver delegate;
        private Optional<String> name;
        private final java.util.Map<String, List<InetAddress>> forward = new java.util.HashMap<>();

        OncePerCall(HostNameResolver delegate) {
            this.delegate = Objects.requireNonNull(delegate, "names");
        }

        @Override
        public Optional<String> nameOf(InetAddress addr) {
            if (name == null) {
                Optional<String> n = delegate.nameOf(addr);
                name = n == null ? Optional.empty() : n;
            }
            return name;
        }

        @Override
        public List<InetAddress> addressesOf(String hostname) {
            return forward.computeIfAbsent(hostname, h -> {
                List<InetAddress> l = delegate.addressesOf(h);
                return l == null ? List.of() : l;
            });
        }
    }
}
