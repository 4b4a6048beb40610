package io.edgenfsd.export;

import static io.edgenfsd.export.FakeNames.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostNameResolverTest {

    @Test
    void cacheAnswersRepeatQuestionsWithoutAskingAgainUntilTheEntryExpires() {
        FakeNames names = new FakeNames().name("10.0.0.1", "a.lan").addresses("a", "10.0.0.1");
        AtomicLong now = new AtomicLong();
        CachingHostNameResolver c = new CachingHostNameResolver(names, Duration.ofSeconds(10), 100, now::get);
        assertThat(c.nameOf(ip("10.0.0.1"))).contains("a.lan");
        assertThat(c.nameOf(ip("10.0.0.1"))).contains("a.lan");
        assertThat(c.addressesOf("A")).containsExactly(ip("10.0.0.1"));
        assertThat(c.addressesOf("a")).containsExactly(ip("10.0.0.1"));
        assertThat(names.reverseCalls).isEqualTo(1);
        assertThat(names.forwardCalls).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        c.nameOf(ip("10.0.0.1"));
        assertThat(names.reverseCalls).isEqualTo(2);
    }

    @Test
    void cacheRemembersMissingNamesToo() {
        FakeNames names = new FakeNames();
        HostNameResolver c = HostNameResolver.caching(names, Duration.ofMinutes(1));
        assertThat(c.nameOf(ip("10.0.0.9"))).isEmpty();
        assertThat(c.nameOf(ip("10.0.0.9"))).isEmpty();
        assertThat(names.reverseCalls).isEqualTo(1);
    }

    @Test
    void cacheIsBoundedAndForgetsTheLeastRecentlyUsedEntry() {
        FakeNames names = new FakeNames();
        CachingHostNameResolver c = new CachingHostNameResolver(names, Duration.ofMinutes(1), 2, () -> 0L);
        c.nameOf(ip("10.0.0.1"));
        c.nameOf(ip("10.0.0.2"));
        c.nameOf(ip("10.0.0.3"));
        c.nameOf(ip("10.0.0.1"));
        assertThat(names.reverseCalls).isEqualTo(4);
        c.nameOf(ip("10.0.0.3"));
        assertThat(names.reverseCalls).isEqualTo(4);
    }

    @Test
    void noneKnowsNoNamesSoNameRulesNeverMatch() throws Exception {
        assertThat(HostNameResolver.none().nameOf(ip("127.0.0.1"))).isEmpty();
        ExportTable t = ExportTable.fromLines(java.util.List.of("/s localhost *.lan"), "f")
                .withResolver(HostNameResolver.none());
        assertThat(t.byPath("/s").orElseThrow().optionsFor(ip("127.0.0.1"))).isEmpty();
    }

    @Test
    void dashOptionsInTheMiddleApplyOnlyToClientsAfterThem() throws Exception {
        ExportTable t = ExportTable.fromLines(java.util.List.of("/s 10.0.0.1 -rw 10.0.0.2"), "f");
        assertThat(t.byPath("/s").orElseThrow().optionsFor(ip("10.0.0.1"), HostNameResolver.none()).orElseThrow()
                .readOnly()).isTrue();
        assertThat(t.byPath("/s").orElseThrow().optionsFor(ip("10.0.0.2"), HostNameResolver.none()).orElseThrow()
                .readOnly()).isFalse();
    }
}
