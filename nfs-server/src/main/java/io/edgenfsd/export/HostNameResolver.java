package io.edgenfsd.export;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Names for client addresses, needed only by hostname and wildcard-hostname client specs.
 *
 * <p>Matching asks for a name only when a rule of such a kind is actually consulted for a client (and
 * no host or network rule of the export matched first), at most once per match. Implementations used in
 * tests return canned answers so no test sends DNS traffic.
 */
@FunctionalInterface
public interface HostNameResolver {

    /** The (verified) host name of {@code addr}, or empty when it has none. */
    Optional<String> nameOf(InetAddress addr);

    /**
     * The addresses of {@code hostname}, used as knfsd does to let a hostname spec such as {@code node1}
     * match a client whose reverse name is {@code node1.lan}. Defaults to none.
     */
    default List<InetAddress> addressesOf(String hostname) {
        return List.of();
    }

    /**
     * The operating system's resolver (/etc/hosts, DNS), cached for 5 minutes (1000 entries). A reverse
     * name is returned only if it resolves forward to the same address (Java's
     * {@link InetAddress#getCanonicalHostName()} checks this), so a PTR record alone cannot claim a
     * trusted name. Lookups block: call matching off event-loop threads.
     */
    static HostNameResolver system() {
        return SystemHostNameResolver.INSTANCE;
    }

    /** A resolver that knows no names: hostname and wildcard-name specs then never match. */
    static HostNameResolver none() {
        return addr -> Optional.empty();
    }

    /** Wraps {@code delegate} with a bounded cache of positive and negative answers kept for {@code ttl}. */
    static HostNameResolver caching(HostNameResolver delegate, Duration ttl) {
        return new CachingHostNameResolver(delegate, ttl, 1000, System::nanoTime);
    }
}
