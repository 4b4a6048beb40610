package io.edgenfsd.export;

import static io.edgenfsd.export.FakeNames.ip;
import static io.edgenfsd.export.FakeNames.mapped6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgenfsd.export.ClientSpec.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ClientSpecTest {
    private final HostNameResolver noNames = addr -> {
        throw new AssertionError("no name lookup expected for " + addr);
    };

    @ParameterizedTest
    @CsvSource({
        "*, ANYONE",
        "10.0.0.5, HOST",
        "::1, HOST",
        "[fd00::5], HOST",
        "::ffff:127.0.0.1, HOST",
        "node1, HOST",
        "nas.example.com, HOST",
        "nas.example.com., HOST",
        "10.0.0.0/8, NETWORK",
        "192.168.1.0/255.255.255.0, NETWORK",
        "fd00::/64, NETWORK",
        "[fd00::]/64, NETWORK",
        "*.example.com, WILDCARD",
        "host?.lan, WILDCARD",
        "pi[0-9].lan, WILDCARD",
        "192.168.1.*, WILDCARD",
    })
    void parsesEachSupportedFormIntoItsKind(String text, Kind kind) {
        assertThat(ClientSpec.parse(text).kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@trusted", "gss/krb5", "krb5p", "10.0.0.256", "10.1", "1.2.3.4.5",
        "10.0.0.0/33", "10.0.0.0/255.0.255.0", "fd00::/129", "fd00::/ffff::", "fd00::1%eth0", "bad host",
        "a..b", "-host", "host_(", "pi[0-9.lan", "pi].lan", "ho$t", "fe80:::1", "10.0.0.0/", "/8", "::ffff:10.0.0.0/8",
        "[]", "pi[].lan"})
    void rejectsInvalidOrUnsupportedSpecsWithIllegalArgumentException(String text) {
        assertThatThrownBy(() -> ClientSpec.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void netgroupIsRejectedWithAnExplanation() {
        assertThatThrownBy(() -> ClientSpec.parse("@trusted")).hasMessageContaining("netgroup")
                .hasMessageContaining("not supported");
    }

    @Test
    void singleIpv4MatchesOnlyThatAddress() {
        ClientSpec s = ClientSpec.parse("10.0.0.5");
        assertThat(s.matches(ip("10.0.0.5"), noNames)).isTrue();
        assertThat(s.matches(ip("10.0.0.6"), noNames)).isFalse();
        assertThat(s.matches(ip("::1"), noNames)).isFalse();
    }

    @Test
    void ipv4SpecMatchesIpv4MappedIpv6ClientAddress() {
        ClientSpec s = ClientSpec.parse("127.0.0.1");
        assertThat(s.matches(mapped6("127.0.0.1"), noNames)).isTrue();
        assertThat(ClientSpec.parse("127.0.0.0/8").matches(mapped6("127.3.4.5"), noNames)).isTrue();
        assertThat(ClientSpec.parse("127.0.0.*").matches(mapped6("127.0.0.9"), noNames)).isTrue();
    }

    @Test
    void mappedIpv6SpecMatchesPlainIpv4Client() {
        assertThat(ClientSpec.parse("::ffff:127.0.0.1").matches(ip("127.0.0.1"), noNames)).isTrue();
        assertThat(ClientSpec.parse("::ffff:10.0.0.0/104").matches(ip("10.9.9.9"), noNames)).isTrue();
        assertThat(ClientSpec.parse("::ffff:10.0.0.0/104").canonical()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void singleIpv6MatchesThatAddressInAnyNotation() {
        ClientSpec s = ClientSpec.parse("fd00:0:0::5");
        assertThat(s.matches(ip("fd00::5"), noNames)).isTrue();
        assertThat(s.matches(ip("fd00::6"), noNames)).isFalse();
        assertThat(s.matches(ip("0.0.0.5"), noNames)).isFalse();
        assertThat(s.canonical()).isEqualTo("fd00::5");
    }

    @Test
    void cidrMatchesInsideAndNotOutside() {
        ClientSpec s = ClientSpec.parse("10.0.0.0/8");
        assertThat(s.matches(ip("10.255.1.2"), noNames)).isTrue();
        assertThat(s.matches(ip("11.0.0.1"), noNames)).isFalse();
        ClientSpec s2 = ClientSpec.parse("192.168.1.128/25");
        assertThat(s2.matches(ip("192.168.1.200"), noNames)).isTrue();
        assertThat(s2.matches(ip("192.168.1.127"), noNames)).isFalse();
    }

    @Test
    void netmaskFormEqualsPrefixForm() {
        ClientSpec a = ClientSpec.parse("192.168.1.0/255.255.255.0");
        ClientSpec b = ClientSpec.parse("192.168.1.0/24");
        assertThat(a).isEqualTo(b);
        assertThat(a.canonical()).isEqualTo("192.168.1.0/24");
        assertThat(a.matches(ip("192.168.1.77"), noNames)).isTrue();
        assertThat(a.matches(ip("192.168.2.77"), noNames)).isFalse();
    }

    @Test
    void hostBitsInNetworkAddressAreIgnoredAsKnfsdDoes() {
        ClientSpec s = ClientSpec.parse("10.1.2.3/8");
        assertThat(s.canonical()).isEqualTo("10.0.0.0/8");
        assertThat(s.matches(ip("10.200.0.1"), noNames)).isTrue();
    }

    @Test
    void zeroPrefixMatchesEveryAddressOfThatFamily() {
        assertThat(ClientSpec.parse("0.0.0.0/0").matches(ip("8.8.8.8"), noNames)).isTrue();
        assertThat(ClientSpec.parse("0.0.0.0/0").matches(ip("fd00::1"), noNames)).isFalse();
        assertThat(ClientSpec.parse("::/0").matches(ip("fd00::1"), noNames)).isTrue();
    }

    @Test
    void ipv6NetworkSlash64Matches() {
        ClientSpec s = ClientSpec.parse("fd12:3456:789a:1::/64");
        assertThat(s.matches(ip("fd12:3456:789a:1:aaaa::1"), noNames)).isTrue();
        assertThat(s.matches(ip("fd12:3456:789a:2::1"), noNames)).isFalse();
        assertThat(s.matches(ip("10.0.0.1"), noNames)).isFalse();
    }

    @Test
    void hostnameMatchesByVerifiedReverseNameIgnoringCaseAndTrailingDot() {
        FakeNames names = new FakeNames().name("10.0.0.7", "NAS.Example.com.");
        assertThat(ClientSpec.parse("nas.example.com").matches(ip("10.0.0.7"), names)).isTrue();
        assertThat(ClientSpec.parse("nas.example.com").matches(ip("10.0.0.8"), names)).isFalse();
    }

    @Test
    void shortHostnameMatchesThroughItsForwardAddressesLikeKnfsd() {
        FakeNames names = new FakeNames().name("10.0.0.7", "node1.lan").addresses("node1", "10.0.0.7");
        assertThat(ClientSpec.parse("node1").matches(ip("10.0.0.7"), names)).isTrue();
        assertThat(ClientSpec.parse("node2").matches(ip("10.0.0.7"), names)).isFalse();
    }

    @Test
    void wildcardMatchesNamesIncludingSubdomainsAsKnfsdDocuments() {
        FakeNames names = new FakeNames().name("10.0.0.1", "a.example.com").name("10.0.0.2", "a.b.example.com")
                .name("10.0.0.3", "example.org");
        ClientSpec s = ClientSpec.parse("*.example.com");
        assertThat(s.matches(ip("10.0.0.1"), names)).isTrue();
        assertThat(s.matches(ip("10.0.0.2"), names)).isTrue();
        assertThat(s.matches(ip("10.0.0.3"), names)).isFalse();
        assertThat(s.matches(ip("10.0.0.4"), names)).isFalse();
    }

    @Test
    void questionMarkAndBracketWildcardsMatchOneCharacter() {
        FakeNames names = new FakeNames().name("10.0.0.1", "host1.lan").name("10.0.0.2", "host12.lan")
                .name("10.0.0.3", "pi3.lan").name("10.0.0.4", "pix.lan");
        assertThat(ClientSpec.parse("host?.lan").matches(ip("10.0.0.1"), names)).isTrue();
        assertThat(ClientSpec.parse("host?.lan").matches(ip("10.0.0.2"), names)).isFalse();
        assertThat(ClientSpec.parse("pi[0-9].lan").matches(ip("10.0.0.3"), names)).isTrue();
        assertThat(ClientSpec.parse("pi[0-9].lan").matches(ip("10.0.0.4"), names)).isFalse();
        assertThat(ClientSpec.parse("pi[!0-9].lan").matches(ip("10.0.0.4"), names)).isTrue();
    }

    @Test
    void numericWildcardMatchesAddressTextWithoutAnyLookup() {
        ClientSpec s = ClientSpec.parse("192.168.1.*");
        assertThat(s.needsName()).isFalse();
        assertThat(s.matches(ip("192.168.1.44"), noNames)).isTrue();
        assertThat(s.matches(ip("192.168.2.44"), noNames)).isFalse();
    }

    @Test
    void numericWildcardIsNeverMatchedAgainstAForgedReverseName() {
        FakeNames names = new FakeNames().name("6.6.6.6", "192.168.1.evil.example");
        assertThat(ClientSpec.parse("192.168.1.*").matches(ip("6.6.6.6"), names)).isFalse();
        assertThat(names.reverseCalls).isZero();
    }

    @Test
    void ipv6WildcardMatchesCompressedAddressText() {
        assertThat(ClientSpec.parse("fd00::*").matches(ip("fd00:0:0:0:0:0:0:42"), noNames)).isTrue();
    }

    @Test
    void onlyNameBasedSpecsNeedALookup() {
        assertThat(ClientSpec.parse("*").needsName()).isFalse();
        assertThat(ClientSpec.parse("10.0.0.1").needsName()).isFalse();
        assertThat(ClientSpec.parse("10.0.0.0/8").needsName()).isFalse();
        assertThat(ClientSpec.parse("node1").needsName()).isTrue();
        assertThat(ClientSpec.parse("*.lan").needsName()).isTrue();
    }

    @Test
    void anyoneMatchesEveryAddress() {
        ClientSpec s = ClientSpec.parse("*");
        assertThat(s.matches(ip("1.2.3.4"), noNames)).isTrue();
        assertThat(s.matches(ip("::1"), noNames)).isTrue();
    }

    @Test
    void specsThatAdmitTheSameClientsAreEqual() {
        assertThat(ClientSpec.parse("NAS.lan")).isEqualTo(ClientSpec.parse("nas.lan."));
        assertThat(ClientSpec.parse("[::1]")).isEqualTo(ClientSpec.parse("0:0::1"));
        assertThat(ClientSpec.parse("10.0.0.1")).isNotEqualTo(ClientSpec.parse("10.0.0.1/32"));
    }
}
