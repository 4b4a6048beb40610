package io.edgenfsd.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgenfsd.manifest.ServerAddress.Iface;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerAddressTest {

    private static Iface iface(String name, int index, boolean up, boolean loopback, String... addrs)
            throws Exception {
        List<InetAddress> list = new ArrayList<>();
        for (String a : addrs) {
            list.add(InetAddress.getByName(a)); // literals only: parsed, not looked up
        }
        return new Iface(name, index, up, loopback, list);
    }

    @Test
    void choosesTheIpv4AddressOfTheFirstPhysicalInterfaceAndSkipsLoopbackBridgesAndOverlays() throws Exception {
        List<Iface> ifs = List.of(
                iface("lo", 1, true, true, "127.0.0.1", "::1"),
                iface("cni0", 2, true, false, "10.42.0.1"),
                iface("flannel.1", 3, true, false, "10.42.0.0"),
                iface("eth0", 4, true, false, "fe80::1", "192.168.1.10"),
                iface("wlan0", 5, true, false, "192.168.1.11"));
        ServerAddress.Choice c = ServerAddress.choose(ifs, false);
        assertThat(c.address).isEqualTo("192.168.1.10");
        assertThat(c.how).contains("eth0").contains("skipped: lo (loopback), cni0").contains("no traffic sent");
    }

    @Test
    void skipsInterfacesThatAreDownOrHaveOnlyLinkLocalAddresses() throws Exception {
        List<Iface> ifs = List.of(
                iface("eth0", 2, false, false, "192.168.1.10"),
                iface("eth1", 3, true, false, "169.254.3.4", "fe80::2"),
                iface("eth2", 4, true, false, "10.0.0.5"));
        ServerAddress.Choice c = ServerAddress.choose(ifs, false);
        assertThat(c.address).isEqualTo("10.0.0.5");
        assertThat(c.how).contains("eth0 (down)").contains("eth1 (no routable address)");
    }

    @Test
    void fallsBackToAGlobalIpv6AddressWhenThereIsNoIpv4() throws Exception {
        ServerAddress.Choice c = ServerAddress.choose(List.of(iface("eth0", 2, true, false, "fe80::1",
                "2001:db8::5")), false);
        assertThat(c.address).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(c.how).startsWith("IPv6 address of eth0");
    }

    @Test
    void refusesALoopbackOnlyHostUnlessForced() throws Exception {
        List<Iface> ifs = List.of(iface("lo", 1, true, true, "::1", "127.0.0.1"));
        assertThatThrownBy(() -> ServerAddress.choose(ifs, false))
                .isInstanceOf(ServerAddress.NoAddressException.class)
                .hasMessageContaining("no non-loopback address").hasMessageContaining("--server")
                .hasMessageContaining("--allow-loopback to use 127.0.0.1");
        ServerAddress.Choice c = ServerAddress.choose(ifs, true);
        assertThat(c.address).isEqualTo("127.0.0.1");
        assertThat(c.how).contains("--allow-loopback");
    }

    @Test
    void usesAVirtualInterfaceOnlyWhenNothingElseHasAnAddressAndSaysSo() throws Exception {
        ServerAddress.Choice c = ServerAddress.choose(List.of(iface("lo", 1, true, true, "127.0.0.1"),
                iface("docker0", 2, true, false, "172.17.0.1")), false);
        assertThat(c.address).isEqualTo("172.17.0.1");
        assertThat(c.how).contains("only virtual interfaces");
    }

    @Test
    void acceptsAddressesAndHostNamesAndRefusesLoopbackAndGarbageForAnExplicitServer() {
        assertThat(ServerAddress.checkExplicit("192.168.1.10", false)).isNull();
        assertThat(ServerAddress.checkExplicit("nas.local", false)).isNull();
        assertThat(ServerAddress.checkExplicit("2001:db8::5", false)).isNull();
        assertThat(ServerAddress.checkExplicit("127.0.0.1", false)).contains("loopback");
        assertThat(ServerAddress.checkExplicit("localhost", false)).contains("loopback");
        assertThat(ServerAddress.checkExplicit("::1", false)).contains("loopback");
        assertThat(ServerAddress.checkExplicit("127.0.0.1", true)).isNull();
        assertThat(ServerAddress.checkExplicit("999.1.1.1", false)).contains("neither");
        assertThat(ServerAddress.checkExplicit("nfs://host", false)).isNotNull();
        assertThat(ServerAddress.checkExplicit("0.0.0.0", false)).contains("0.0.0.0");
    }
}
