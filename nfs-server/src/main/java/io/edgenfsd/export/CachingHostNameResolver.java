package io.edgenfsd.export;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Bounded LRU cache (per direction) in front of another resolver; entries expire after a fixed time. */
final class CachingHostNameResolver implements HostNameResolver {
    private record Entry<V>(V value, long expiresAt) {
    }

    private final HostNameResolver delegate;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<InetAddress, Entry<Optional<String>>> names;
    private final Map<String, Entry<List<InetAddress>>> addresses;

    CachingHostNameResolver(HostNameResolver delegate, Duration ttl, int maxEntries, LongSupplier nanoClock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
        this.names = lru(maxEntries);
        this.addresses = lru(maxEntries);
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public Optional<String> nameOf(InetAddress addr) {
        long now = clock.getAsLong();
        synchronized (names) {
            Entry<Optional<String>> e = names.get(addr);
            if (e != null && now - e.expiresAt() < 0) {
                return e.value();
            }
        }
        Optional<String> v = Objects.requireNonNullElse(delegate.nameOf(addr), Optional.empty());
        synchronized (names) {
            names.put(addr, new Entry<>(v, now + ttlNanos));
        }
        return v;
    }

    @Override
    public List<InetAddress> addressesOf(String hostname) {
        String key = hostname.toLowerCase(Locale.ROOT);
        long now = clock.getAsLong();
        synchronized (addresses) {
            Entry<List<InetAddress>> e = addresses.get(key);
            if (e != null && now - e.expiresAt() < 0) {
                return e.value();
            }
        }
        List<InetAddress> v = delegate.addressesOf(key);
        v = v == null ? List.of() : List.copyOf(v);
        synchronized (addresses) {
            addresses.put(key, new Entry<>(v, now + ttlNanos));
        }
        return v;
    }
}
