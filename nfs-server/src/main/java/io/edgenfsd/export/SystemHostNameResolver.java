package io.edgenfsd.export;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The OS resolver behind {@link HostNameResolver#system()}. */
final class SystemHostNameResolver implements HostNameResolver {
    static final HostNameResolver INSTANCE = HostNameResolver.caching(new SystemHostNameResolver(),
            Duration.ofMinutes(5));

    private SystemHostNameResolver() {
    }

    @Override
    public Optional<String> nameOf(InetAddress addr) {
        // getCanonicalHostName does the reverse lookup and checks the name resolves back to addr;
        // it returns the address text when either step fails.
        String name = addr.getCanonicalHostName();
        if (name == null || name.equals(addr.getHostAddress())) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    @Override
    public List<InetAddress> addressesOf(String hostname) {
        try {
            return Arrays.asList(InetAddress.getAllByName(hostname));
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }
}
