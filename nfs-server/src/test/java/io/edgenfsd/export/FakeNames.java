package io.edgenfsd.export;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Canned names for tests: no DNS, and it counts how often it was asked. */
final class FakeNames implements HostNameResolver {
    private final Map<String, String> reverse = new HashMap<>();
    private final Map<String, List<InetAddress>> forward = new HashMap<>();
    int reverseCalls;
    int forwardCalls;

    FakeNames name(String ip, String name) {
        reverse.put(ip(ip).getHostAddress(), name);
        return this;
    }

    FakeNames addresses(String name, String... ips) {
        List<InetAddress> l = new ArrayList<>();
        for (String s : ips) {
            l.add(ip(s));
        }
        forward.put(name, l);
        return this;
    }

    @Override
    public Optional<String> nameOf(InetAddress addr) {
        reverseCalls++;
        return Optional.ofNullable(reverse.get(addr.getHostAddress()));
    }

    @Override
    public List<InetAddress> addressesOf(String hostname) {
        forwardCalls++;
        return forward.getOrDefault(hostname, List.of());
    }

    /** Address literal without any lookup (brackets force IPv6 literal parsing). */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal.contains(":") ? "[" + literal + "]" : literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A mapped IPv6 address that stays an Inet6Address (as some socket layers hand it over). */
    static InetAddress mapped6(String v4) {
        byte[] a = ip(v4).getAddress();
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        System.arraycopy(a, 0, b, 12, 4);
        try {
            return java.net.Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
