package io.edgenfsd.export;

import static io.edgenfsd.export.FakeNames.ip;
import static io.edgenfsd.export.FakeNames.mapped6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportTableTest {

    static ExportTable table(String... lines) throws ExportsException {
        return ExportTable.fromLines(Arrays.asList(lines), "exports");
    }

    static ExportOptions opts(ExportTable t, String path, String client) {
        return t.byPath(path).orElseThrow().optionsFor(ip(client), HostNameResolver.none()).orElseThrow();
    }

    // ---- the lines people actually copy ----

    @Test
    void realWorldK8sLineExportsRwSyncNoRootSquashNoAllSquashToEveryone() throws Exception {
        ExportTable t = table("/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash)");
        assertThat(t.exports()).hasSize(1);
        Export e = t.exports().get(0);
        assertThat(e.path()).isEqualTo("/var/nfs-k8s");
        ExportOptions o = e.optionsFor(ip("10.42.0.17"), HostNameResolver.none()).orElseThrow();
        assertThat(o.readOnly()).isFalse();
        assertThat(o.sync()).isTrue();
        assertThat(o.rootSquash()).isFalse();
        assertThat(o.allSquash()).isFalse();
        assertThat(o.secure()).isTrue();
        assertThat(o.anonUid()).isEqualTo(65534);
        assertThat(o.squash(0, 0, new int[] {0})).isEqualTo(new SquashedCredentials(0, 0, new int[] {0}));
        assertThat(e.optionsFor(ip("::1"), HostNameResolver.none())).isPresent();
        assertThat(e.rules().get(0).source()).isEqualTo("exports:1");
    }

    @Test
    void bareClientGetsKnfsdDefaults() throws Exception {
        ExportTable t = table("/srv 10.0.0.5");
        assertThat(opts(t, "/srv", "10.0.0.5")).isEqualTo(ExportOptions.knfsdDefaults());
    }

    @Test
    void clientOptionsStartFromKnfsdDefaults() throws Exception {
        ExportOptions o = opts(table("/srv *(rw)"), "/srv", "1.2.3.4");
        assertThat(o).isEqualTo(new ExportOptions(false, true, true, false, 65534, 65534, true, false, false, null,
                false, true, true));
    }

    @Test
    void dashOptionsApplyToEveryClientAfterThemOnThatLineOnly() throws Exception {
        ExportTable t = table(
                "/srv -rw,async a.lan 10.0.0.0/8(ro) 192.168.0.1(no_root_squash)",
                "/other 10.0.0.1");
        ExportOptions bare = t.byPath("/srv").orElseThrow().rules().get(0).options();
        assertThat(bare.readOnly()).isFalse();
        assertThat(bare.sync()).isFalse();
        ExportOptions net = opts(t, "/srv", "10.1.1.1");
        assertThat(net.readOnly()).isTrue();
        assertThat(net.sync()).isFalse();
        ExportOptions host = opts(t, "/srv", "192.168.0.1");
        assertThat(host.readOnly()).isFalse();
        assertThat(host.rootSquash()).isFalse();
        assertThat(opts(t, "/other", "10.0.0.1")).isEqualTo(ExportOptions.knfsdDefaults());
    }

    @Test
    void severalDashOptionTokensAccumulate() throws Exception {
        ExportOptions o = opts(table("/srv -rw -async,insecure *"), "/srv", "1.1.1.1");
        assertThat(o.readOnly()).isFalse();
        assertThat(o.sync()).isFalse();
        assertThat(o.secure()).isFalse();
    }

    @Test
    void pathWithoutClientsIsExportedToEveryoneWithDefaults() throws Exception {
        ExportTable t = table("/pub");
        Export e = t.byPath("/pub").orElseThrow();
        assertThat(e.rules()).hasSize(1);
        assertThat(e.rules().get(0).client().kind()).isEqualTo(ClientSpec.Kind.ANYONE);
        assertThat(e.rules().get(0).options()).isEqualTo(ExportOptions.knfsdDefaults());
    }

    @Test
    void pathWithOnlyDashOptionsIsExportedToEveryoneWithThoseOptions() throws Exception {
        assertThat(opts(table("/pub -rw"), "/pub", "8.8.8.8").readOnly()).isFalse();
    }

    @Test
    void optionListSeparatedFromItsHostByASpaceMeansEveryoneAsInKnfsd() throws Exception {
        ExportTable t = table("/home/joe pc001 (rw)");
        Export e = t.byPath("/home/joe").orElseThrow();
        assertThat(e.rules()).extracting(r -> r.client().text()).containsExactly("pc001", "*");
        assertThat(e.rules().get(0).options().readOnly()).isTrue();
        assertThat(e.rules().get(1).options().readOnly()).isFalse();
    }

    @Test
    void blanksInsideAnOptionListAreTolerated() throws Exception {
        ExportOptions o = opts(table("/srv *(rw, sync,  no_root_squash )"), "/srv", "1.1.1.1");
        assertThat(o.readOnly()).isFalse();
        assertThat(o.rootSquash()).isFalse();
    }

    @Test
    void emptyOptionListAndEmptyItemsMeanDefaults() throws Exception {
        assertThat(opts(table("/srv *()"), "/srv", "1.1.1.1")).isEqualTo(ExportOptions.knfsdDefaults());
        assertThat(opts(table("/srv *(rw,,sync,)"), "/srv", "1.1.1.1").readOnly()).isFalse();
    }

    // ---- syntax ----

    @Test
    void commentsAndBlankLinesAreIgnored() throws Exception {
        ExportTable t = table("# a comment", "", "   ", "\t# indented comment",
                "/srv *(rw) # trailing comment with (parens) and /paths", "#/old *(rw)");
        assertThat(t.exports()).extracting(Export::path).containsExactly("/srv");
        assertThat(t.byPath("/srv").orElseThrow().rules()).hasSize(1);
    }

    @Test
    void commentRightAfterOptionsWithoutBlankEndsTheLine() throws Exception {
        ExportTable t = table("/srv *(rw)#comment");
        assertThat(t.byPath("/srv").orElseThrow().rules()).hasSize(1);
    }

    @Test
    void backslashContinuesALineAndErrorsPointAtThePhysicalLine() throws Exception {
        ExportTable t = table("/srv \\", "  10.0.0.1(rw) \\", "  10.0.0.2(ro)", "/b *");
        assertThat(t.byPath("/srv").orElseThrow().rules()).extracting(ExportRule::source)
                .containsExactly("exports:2", "exports:3");
        assertThat(t.byPath("/b")).isPresent();
        assertThatThrownBy(() -> table("/srv \\", "  10.0.0.1(rw) \\", "  10.0.0.2(bogus)"))
                .hasMessage("exports:3: unknown export option \"bogus\"");
    }

    @Test
    void backslashWithTrailingBlanksStillContinues() throws Exception {
        ExportTable t = table("/srv \\   ", "*(rw)");
        assertThat(opts(t, "/srv", "1.2.3.4").readOnly()).isFalse();
    }

    @Test
    void backslashOnTheLastLineIsDropped() throws Exception {
        assertThat(table("/srv *(rw) \\").byPath("/srv")).isPresent();
    }

    @Test
    void quotedPathMayContainSpacesAndHashes() throws Exception {
        ExportTable t = table("\"/srv/my share #1\" *(rw)");
        assertThat(t.exports()).extracting(Export::path).containsExactly("/srv/my share #1");
    }

    @Test
    void octalEscapesInPathsAreDecodedAsExportfsDoes() throws Exception {
        assertThat(table("/srv/my\\040share *(rw)").exports()).extracting(Export::path)
                .containsExactly("/srv/my share");
        assertThat(table("/srv/caf\\303\\251 *").exports()).extracting(Export::path)
                .containsExactly("/srv/caf\u00e9");
        assertThat(table("/srv/back\\slash *").exports()).extracting(Export::path)
                .containsExactly("/srv/back\\slash");
    }

    @Test
    void pathsAreNormalized() throws Exception {
        ExportTable t = table("/srv/data/ *(rw)", "//var///nfs/./x *", "/ 10.0.0.1");
        assertThat(t.exports()).extracting(Export::path).containsExactly("/srv/data", "/var/nfs/x", "/");
        assertThat(t.byPath("/srv/data/")).isPresent();
        assertThat(t.byPath("relative")).isEmpty();
        assertThat(t.byPath(null)).isEmpty();
    }

    @Test
    void windowsLineEndingsAndTabsAreAccepted() throws Exception {
        ExportTable t = table("/srv\t10.0.0.1(rw)\t*(ro)\r", "/b *\r");
        assertThat(t.byPath("/srv").orElseThrow().rules()).hasSize(2);
        assertThat(t.byPath("/b")).isPresent();
    }

    // ---- merging and duplicates ----

    @Test
    void samePathOnSeveralLinesMergesClientLists() throws Exception {
        ExportTable t = table("/srv 10.0.0.1(rw)", "/other *", "/srv/ 10.0.0.0/8(ro) *.lan");
        assertThat(t.exports()).extracting(Export::path).containsExactly("/srv", "/other");
        assertThat(t.byPath("/srv").orElseThrow().rules()).extracting(r -> r.client().text())
                .containsExactly("10.0.0.1", "10.0.0.0/8", "*.lan");
    }

    @Test
    void duplicateClientForSamePathIsAnErrorNamingBothLocations() {
        assertThatThrownBy(() -> table("/srv 10.0.0.1(rw)", "# x", "/srv 10.0.0.1(ro)"))
                .isInstanceOf(ExportsException.class)
                .hasMessage("exports:3: client \"10.0.0.1\" for /srv is already given at exports:1");
    }

    @Test
    void duplicateClientWrittenDifferentlyIsStillADuplicate() {
        assertThatThrownBy(() -> table("/srv 10.0.0.0/8 10.0.0.0/255.0.0.0"))
                .hasMessage("exports:1: client \"10.0.0.0/255.0.0.0\" for /srv is already given at exports:1 "
                        + "as \"10.0.0.0/8\"");
    }

    @Test
    void sameClientForDifferentPathsIsFine() throws Exception {
        assertThat(table("/a *(rw)", "/b *(ro)").exports()).hasSize(2);
    }

    @Test
    void mergeCombinesTwoTablesAndRejectsDuplicatesAcrossThem() throws Exception {
        ExportTable file = table("/srv 10.0.0.1(rw)");
        ExportTable flag = ExportTable.fromLines(List.of("/srv 10.0.0.2(ro)", "/x *"), "--export #1");
        ExportTable m = ExportTable.merge(file, flag);
        assertThat(m.exports()).extracting(Export::path).containsExactly("/srv", "/x");
        assertThat(m.byPath("/srv").orElseThrow().rules()).extracting(ExportRule::source)
                .containsExactly("exports:1", "--export #1:1");
        ExportTable dup = ExportTable.fromLines(List.of("/srv 10.0.0.1"), "--export #2");
        assertThatThrownBy(() -> ExportTable.merge(file, dup))
                .hasMessage("--export #2:1: client \"10.0.0.1\" for /srv is already given at exports:1");
    }

    @Test
    void exportFlagSourceNameAppearsInErrors() {
        assertThatThrownBy(() -> ExportTable.fromLines(List.of("srv *(rw)"), "--export #2"))
                .isInstanceOfSatisfying(ExportsException.class, e -> {
                    assertThat(e.source()).isEqualTo("--export #2");
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.problem()).isEqualTo("export path must be absolute: \"srv\"");
                })
                .hasMessage("--export #2:1: export path must be absolute: \"srv\"");
    }

    // ---- precedence and visibility ----

    @Test
    void singleHostBeatsNetworkBeatsWildcardBeatsEveryoneRegardlessOfOrder() throws Exception {
        ExportTable t = table("/srv *(ro,fsid=1) *.lan(rw,async) 10.0.0.0/8(rw,all_squash) 10.0.0.5(rw,no_root_squash)")
                .withResolver(new FakeNames().name("10.0.0.5", "pi.lan").name("10.0.0.6", "pi2.lan")
                        .name("192.168.1.9", "laptop.lan"));
        Export e = t.byPath("/srv").orElseThrow();
        assertThat(e.optionsFor(ip("10.0.0.5")).orElseThrow().rootSquash()).isFalse();
        assertThat(e.optionsFor(ip("10.0.0.6")).orElseThrow().allSquash()).isTrue();
        assertThat(e.optionsFor(ip("192.168.1.9")).orElseThrow().sync()).isFalse();
        ExportOptions other = e.optionsFor(ip("172.16.0.1")).orElseThrow();
        assertThat(other.readOnly()).isTrue();
        assertThat(other.allSquash()).isFalse();
    }

    @Test
    void hostnameRuleCountsAsSingleHostAndBeatsNetwork() throws Exception {
        ExportTable t = table("/srv 10.0.0.0/8(ro) pi.lan(rw)")
                .withResolver(new FakeNames().name("10.0.0.5", "pi.lan"));
        assertThat(t.byPath("/srv").orElseThrow().optionsFor(ip("10.0.0.5")).orElseThrow().readOnly()).isFalse();
    }

    @Test
    void withinOneKindTheFirstWrittenRuleWins() throws Exception {
        ExportTable t = table("/srv 10.0.0.0/8(ro) 10.0.0.0/16(rw)");
        assertThat(opts(t, "/srv", "10.0.1.1").readOnly()).isTrue();
    }

    @Test
    void clientMatchingNoRuleGetsNothingAndCannotSeeTheExport() throws Exception {
        ExportTable t = table("/srv 10.0.0.0/8(rw)", "/pub *(ro)").withResolver(HostNameResolver.none());
        Export srv = t.byPath("/srv").orElseThrow();
        assertThat(srv.optionsFor(ip("192.168.1.1"))).isEmpty();
        assertThat(srv.isVisibleTo(ip("192.168.1.1"))).isFalse();
        assertThat(t.visibleTo(ip("192.168.1.1"))).extracting(Export::path).containsExactly("/pub");
        assertThat(t.visibleTo(ip("10.1.1.1"))).extracting(Export::path).containsExactly("/srv", "/pub");
    }

    @Test
    void noReverseLookupWhenNoRuleNeedsAName() throws Exception {
        FakeNames names = new FakeNames();
        ExportTable t = table("/srv 10.0.0.5(rw) 10.0.0.0/8 192.168.*.* *").withResolver(names);
        for (String a : List.of("10.0.0.5", "10.9.9.9", "192.168.3.4", "8.8.8.8", "::1")) {
            assertThat(t.byPath("/srv").orElseThrow().optionsFor(ip(a))).isPresent();
        }
        assertThat(names.reverseCalls).isZero();
        assertThat(names.forwardCalls).isZero();
    }

    @Test
    void noReverseLookupWhenAnAddressRuleMatchesBeforeANameRule() throws Exception {
        FakeNames names = new FakeNames();
        ExportTable t = table("/srv *.lan(rw) 10.0.0.0/8(ro)").withResolver(names);
        assertThat(t.byPath("/srv").orElseThrow().optionsFor(ip("10.1.2.3"))).isPresent();
        assertThat(names.reverseCalls).isZero();
    }

    @Test
    void atMostOneReverseLookupPerMatchEvenWithManyNameRules() throws Exception {
        FakeNames names = new FakeNames();
        ExportTable t = table("/srv a.lan b.lan c.lan *.x.lan *.y.lan *.z.lan").withResolver(names);
        assertThat(t.byPath("/srv").orElseThrow().optionsFor(ip("10.1.2.3"))).isEmpty();
        assertThat(names.reverseCalls).isEqualTo(1);
    }

    @Test
    void cachingResolverAsksTheDelegateOnceForRepeatedClients() throws Exception {
        FakeNames names = new FakeNames().name("10.0.0.5", "pi.lan");
        HostNameResolver cached = HostNameResolver.caching(names, java.time.Duration.ofMinutes(1));
        ExportTable t = table("/srv *.lan(rw)").withResolver(cached);
        for (int i = 0; i < 5; i++) {
            assertThat(t.byPath("/srv").orElseThrow().optionsFor(ip("10.0.0.5"))).isPresent();
        }
        assertThat(names.reverseCalls).isEqualTo(1);
    }

    @Test
    void ipv6ExportsMatchIpv6ClientsAndMappedAddressesMatchIpv4Rules() throws Exception {
        ExportTable t = table("/srv fd00::/64(rw) 2001:db8::7(rw,no_root_squash) 127.0.0.1(rw,async)")
                .withResolver(HostNameResolver.none());
        Export e = t.byPath("/srv").orElseThrow();
        assertThat(e.optionsFor(ip("fd00::1234"))).isPresent();
        assertThat(e.optionsFor(ip("fd01::1"))).isEmpty();
        assertThat(e.optionsFor(ip("2001:db8:0::7")).orElseThrow().rootSquash()).isFalse();
        assertThat(e.optionsFor(ip("::ffff:127.0.0.1")).orElseThrow().sync()).isFalse();
        assertThat(e.optionsFor(mapped6("127.0.0.1")).orElseThrow().sync()).isFalse();
        assertThat(e.optionsFor(ip("::1"))).isEmpty();
    }

    // ---- options ----

    @Test
    void everyBooleanOptionAndItsOppositeIsParsed() throws Exception {
        ExportOptions on = opts(table("/s *(rw,async,no_root_squash,all_squash,insecure,crossmnt,nohide,"
                + "subtree_check,no_wdelay,no_delegations)"), "/s", "1.1.1.1");
        assertThat(on).isEqualTo(new ExportOptions(false, false, false, true, 65534, 65534, false, true, true, null,
                true, false, false));
        ExportOptions off = opts(table("/s *(rw,async,no_root_squash,all_squash,insecure,crossmnt,nohide,"
                + "subtree_check,no_wdelay,no_delegations,ro,sync,root_squash,no_all_squash,secure,nocrossmnt,hide,"
                + "no_subtree_check,wdelay,delegations)"), "/s", "1.1.1.1");
        assertThat(off).isEqualTo(ExportOptions.knfsdDefaults());
    }

    @Test
    void anonUidAndGidAreParsedIncludingKnfsdStyleNegativeValues() throws Exception {
        ExportOptions o = opts(table("/s *(all_squash,anonuid=1000,anongid=100)"), "/s", "1.1.1.1");
        assertThat(o.anonUid()).isEqualTo(1000);
        assertThat(o.anonGid()).isEqualTo(100);
        ExportOptions n = opts(table("/s *(anonuid=-2,anongid=4294967294)"), "/s", "1.1.1.1");
        assertThat(n.anonUid()).isEqualTo(-2);
        assertThat(n.anonGid()).isEqualTo(-2);
        assertThat(opts(table("/s *(anonuid=0)"), "/s", "1.1.1.1").anonUid()).isZero();
    }

    @Test
    void secSysAndSysOnlyListsAreAccepted() throws Exception {
        assertThat(table("/s *(sec=sys,rw)", "/t *(sec=sys:sys)").exports()).hasSize(2);
    }

    @Test
    void fsidAcceptsNumbersRootAndUuids() throws Exception {
        ExportTable t = table("/a *(fsid=7)", "/b *(fsid=root)", "/c *(fsid=0x10)",
                "/d *(fsid=0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9)", "/e *(fsid=010)");
        assertThat(t.byPath("/a").orElseThrow().fsid()).contains("7");
        assertThat(t.byPath("/b").orElseThrow().fsid()).contains("0");
        assertThat(t.byPath("/b").orElseThrow().isFsidRoot()).isTrue();
        assertThat(t.byPath("/c").orElseThrow().fsid()).contains("16");
        assertThat(t.byPath("/d").orElseThrow().fsid()).contains("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
        assertThat(t.byPath("/e").orElseThrow().fsid()).contains("8");
        assertThat(opts(t, "/a", "1.1.1.1").fsid()).isEqualTo("7");
    }

    @Test
    void noEffectOptionsAreAcceptedAndRecordedForMountpoint() throws Exception {
        ExportTable t = table("/s *(insecure_locks,secure_locks,no_auth_nlm,auth_nlm,no_acl,acl,nordirplus,pnfs,"
                + "no_pnfs,security_label,xprtsec=none,mountpoint)", "/m *(mp=/mnt/usb)", "/n *(mp)");
        assertThat(opts(t, "/s", "1.1.1.1")).isEqualTo(ExportOptions.knfsdDefaults());
        assertThat(t.byPath("/s").orElseThrow().mountpoint()).contains("");
        assertThat(t.byPath("/m").orElseThrow().mountpoint()).contains("/mnt/usb");
        assertThat(t.byPath("/n").orElseThrow().mountpoint()).contains("");
        assertThat(table("/x *").exports().get(0).mountpoint()).isEmpty();
    }

    // ---- ids ----

    @Test
    void numericFsidBecomesTheExportId() throws Exception {
        ExportTable t = table("/a *(fsid=42)", "/b *(fsid=2147483647)");
        assertThat(t.byPath("/a").orElseThrow().id()).isEqualTo(42);
        assertThat(t.byPath("/b").orElseThrow().id()).isEqualTo(Integer.MAX_VALUE);
        assertThat(t.byId(42).orElseThrow().path()).isEqualTo("/a");
        assertThat(t.byId(43)).isEmpty();
    }

    @Test
    void exportsWithoutUsableNumericFsidGetAStableNonZeroPathHashId() throws Exception {
        ExportTable t = table("/var/nfs-k8s *(rw)", "/b *(fsid=0)", "/c *(fsid=4294967295)",
                "/d *(fsid=11111111-2222-3333-4444-555555555555)");
        for (Export e : t.exports()) {
            assertThat(e.id()).isPositive().isEqualTo(ExportTable.pathHash(e.path()));
        }
        assertThat(t.byPath("/var/nfs-k8s").orElseThrow().id())
                .isEqualTo(ExportTable.fromLines(List.of("/other *", "/var/nfs-k8s/ 10.0.0.1"), "x")
                        .byPath("/var/nfs-k8s").orElseThrow().id());
    }

    @Test
    void pathHashIsAFixedFunctionOfThePath() {
        // pinned: a change here would break every client's file handles after an upgrade
        assertThat(ExportTable.pathHash("/var/nfs-k8s")).isEqualTo(ExportTable.pathHash("/var/nfs-k8s"));
        assertThat(ExportTable.pathHash("/var/nfs-k8s")).isNotEqualTo(ExportTable.pathHash("/var/nfs-k8s2"));
        assertThat(ExportTable.pathHash("/")).isPositive();
    }

    @Test
    void hashIdCollidingWithAnFsidMovesToTheNextFreeId() throws Exception {
        int h = ExportTable.pathHash("/a");
        ExportTable t = table("/a *", "/b *(fsid=" + h + ")");
        assertThat(t.byPath("/b").orElseThrow().id()).isEqualTo(h);
        assertThat(t.byPath("/a").orElseThrow().id()).isEqualTo(h == Integer.MAX_VALUE ? 1 : h + 1);
    }

    @Test
    void idsAreUniqueAcrossManyExports() throws Exception {
        String[] lines = new String[2000];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "/srv/e" + i + " *";
        }
        ExportTable t = table(lines);
        assertThat(t.exports().stream().map(Export::id).distinct().count()).isEqualTo(2000);
        assertThat(t.exports()).allSatisfy(e -> assertThat(t.byId(e.id())).contains(e));
    }

    // ---- misc API ----

    @Test
    void emptyTableHasNoExports() {
        assertThat(ExportTable.empty().isEmpty()).isTrue();
        assertThat(ExportTable.empty().byId(1)).isEmpty();
    }

    @Test
    void ruleForReturnsTheWinningRuleWithItsSource() throws Exception {
        ExportTable t = table("/srv *(ro)", "/srv 10.0.0.0/8(rw)");
        Optional<ExportRule> r = t.byPath("/srv").orElseThrow().ruleFor(ip("10.2.3.4"), HostNameResolver.none());
        assertThat(r).map(ExportRule::source).contains("exports:2");
    }

    @Test
    void defaultResolverIsTheSystemOne() throws Exception {
        assertThat(table("/s *").resolver()).isSameAs(HostNameResolver.system());
        InetAddress any = ip("127.0.0.1");
        assertThat(table("/s 127.0.0.1").byPath("/s").orElseThrow().optionsFor(any)).isPresent();
    }
}
