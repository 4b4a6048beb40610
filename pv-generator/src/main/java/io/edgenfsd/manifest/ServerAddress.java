package io.edgenfsd.manifest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chooses the NFS server address to put into manifests: this host's primary non-loopback address, read from
 * the local interface table only (no packet is sent, no name is resolved).
 */
public final class ServerAddress {

    /** One network interface as seen by the chooser. */
    public static final class Iface {
        final String name;
        final int index;
        final boolean up;
        final boolean loopback;
        final List<InetAddress> addresses;

        public Iface(String name, int index, boolean up, boolean loopback, List<InetAddress> addresses) {
            this.name = name;
            this.index = index;
            this.up = up;
            this.loopback = loopback;
            this.addresses = addresses;
        }
    }

    /** The chosen address and a sentence saying how it was chosen. */
    public static final class Choice {
        public final String address;
        public final String how;

        Choice(String address, String how) {
            this.address = address;
            this.how = how;
        }
    }

    /** No usable address; the message says what to do. */
    public static final class NoAddressException extends Exception {
        private static final long serialVersionUID = 1L;

        NoAddressException(String message) {
            super(message);
        }
    }

    private static final Pattern VIRTUAL = Pattern.compile(
            "(docker|veth|br-|cni|flannel|cali|virbr|kube-|tun|tap|vxlan|weave|podman|lxc|lxd|vnet|dummy|ifb|"
                    + "tailscale|wg|zt|genev|nodelocaldns|cilium).*");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\\.?");

    private ServerAddress() {
    }

    /** The interfaces of this host, read with java.net.NetworkInterface. */
    public static List<Iface> localInterfaces() throws SocketException {
        List<Iface> out = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            out.add(new Iface(ni.getName(), ni.getIndex(), ni.isUp(), ni.isLoopback(),
                    Collections.list(ni.getInetAddresses())));
        }
        return out;
    }

    /** Picks the primary address: first IPv4, then global IPv6, of the lowest-numbered physical interface. */
    public static Choice choose(List<Iface> interfaces, boolean allowLoopback) throws NoAddressException {
        List<Iface> sorted = new ArrayList<>(interfaces);
        sorted.sort(Comparator.comparingInt(i -> i.index));
        List<String> skipped = new ArrayList<>();
        List<Iface> virtual = new ArrayList<>();
        InetAddress loopbackAddress = null;
        for (int pass = 0; pass < 2; pass++) {
            for (Iface i : sorted) {
                if (pass == 0) {
                    if (!i.up) {
                        skipped.add(i.name + " (down)");
                        continue;
                    }
                    if (i.loopback) {
                        skipped.add(i.name + " (loopback)");
                        for (InetAddress a : i.addresses) {
                            boolean better = loopbackAddress == null
                                    || a instanceof Inet4Address && !(loopbackAddress instanceof Inet4Address);
                            if (better) {
                                loopbackAddress = a;
                            }
                        }
                        continue;
                    }
                    if (VIRTUAL.matcher(i.name.toLowerCase(Locale.ROOT)).matches()) {
                        virtual.add(i);
                        skipped.add(i.name + " (virtual, container or overlay)");
                        continue;
                    }
                } else if (!virtual.contains(i)) {
                    continue;
                }
                InetAddress best = best(i.addresses);
                if (best == null) {
                    if (pass == 0) {
                        skipped.add(i.name + " (no routable address)");
                    }
                    continue;
                }
                String family = best instanceof Inet4Address ? "IPv4" : "IPv6";
                String how = family + " address of " + i.name + " (interface index " + i.index + "), the first "
                        + (pass == 0 ? "interface that is up and not loopback, virtual or a container bridge"
                        : "up interface with an address; only virtual interfaces have one, so check it")
                        + (skipped.isEmpty() ? "" : "; skipped: " + String.join(", ", skipped))
                        + "; read from the local interface table, no traffic sent."
                        + " Pass --server to choose another.";
                return new Choice(literal(best), how);
            }
        }
        if (loopbackAddress != null && allowLoopback) {
            return new Choice(literal(loopbackAddress), "loopback address (forced with --allow-loopback): only this"
                    + " host can mount it, pods on other nodes cannot");
        }
        throw new NoAddressException("no non-loopback address on this host"
                + (skipped.isEmpty() ? "" : " (interfaces: " + String.join(", ", skipped) + ")")
                + "; pods on other nodes could not reach a loopback address. Pass --server ADDRESS"
                + (loopbackAddress != null ? ", or --allow-loopback to use " + literal(loopbackAddress) + " anyway" : ""));
    }

    private static InetAddress best(List<InetAddress> addresses) {
        InetAddress v6 = null;
        for (InetAddress a : addresses) {
            if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                continue;
            }
            if (a instanceof Inet4Address) {
                return a;
            }
            if (v6 == null && a instanceof Inet6Address) {
                v6 = a;
            }
        }
        return v6;
    }

    private static String literal(InetAddress a) {
        String s = a.getHostAddress();
        int pct = s.indexOf('%');
        return pct < 0 ? s : s.substring(0, pct);
    }

    /**
     * Checks a --server value without resolving it: an IPv4 or IPv6 literal, or a host name. Returns null when
     * fine, else the reason. Loopback is refused unless allowed.
     */
    public static String checkExplicit(String server, boolean allowLoopback) {
        if (server.isEmpty()) {
            return "must not be empty";
        }
        boolean loopback;
        if (IPV4.matcher(server).matches()) {
            loopback = server.startsWith("127.");
            if (server.equals("0.0.0.0")) {
                return "0.0.0.0 is not an address a client can mount";
            }
        } else if (server.contains(":")) {
            if (!server.matches("[0-9A-Fa-f:.]+")) {
                return "'" + server + "' is not an IPv6 address (give it without brackets or zone)";
            }
            try {
                InetAddress a = InetAddress.getByName(server); // a literal: parsed, not looked up
                loopback = a.isLoopbackAddress();
            } catch (Exception e) {
                return "'" + server + "' is not an IPv6 address";
            }
        } else if (HOSTNAME.matcher(server).matches() && !server.matches("[0-9.]+")) {
            String lower = server.toLowerCase(Locale.ROOT);
            loopback = lower.equals("localhost") || lower.endsWith(".localhost");
        } else {
            return "'" + server + "' is neither an IP address nor a host name";
        }
        if (loopback && !allowLoopback) {
            return "'" + server + "' is a loopback address: the kubelet on every node would mount itself, not this"
                    + " server. Use an address other nodes can reach, or --allow-loopback for a single-node test";
        }
        return null;
    }
}
