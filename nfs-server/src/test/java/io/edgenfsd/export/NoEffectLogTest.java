package io.edgenfsd.export;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;

@Isolated
class NoEffectLogTest {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void attach() {
        logger = (Logger) LoggerFactory.getLogger(ExportOptionParser.class);
        appender.start();
        logger.addAppender(appender);
        ExportOptionParser.resetNoEffectLog();
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    private List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void noEffectOptionIsLoggedOncePerNameAcrossLinesAndLoads() throws Exception {
        ExportTable.fromLines(List.of("/a *(no_acl)", "/b *(no_acl,insecure_locks)"), "f");
        ExportTable.fromLines(List.of("/c *(no_acl,insecure_locks)"), "g");
        assertThat(messages()).filteredOn(m -> m.contains("\"no_acl\"")).hasSize(1);
        assertThat(messages()).filteredOn(m -> m.contains("\"insecure_locks\"")).hasSize(1);
        assertThat(messages()).allSatisfy(m -> assertThat(m).contains("has no effect"));
        assertThat(ExportOptionParser.loggedNoEffect()).containsExactlyInAnyOrder("no_acl", "insecure_locks");
    }

    @Test
    void optionsWithEffectAreNotLoggedAsNoEffect() throws Exception {
        ExportTable.fromLines(List.of("/a *(rw,sync,no_root_squash,no_all_squash,no_subtree_check,secure,"
                + "anonuid=5,anongid=5,fsid=9,crossmnt,nohide,sec=sys)"), "f");
        assertThat(messages()).isEmpty();
    }

    @Test
    void everyDocumentedNoEffectOptionIsLogged() throws Exception {
        ExportTable.fromLines(List.of("/a *(subtree_check,wdelay,no_wdelay,insecure_locks,secure_locks,no_auth_nlm,"
                + "auth_nlm,acl,no_acl,nordirplus,pnfs,no_pnfs,security_label,xprtsec=none)"), "f");
        assertThat(ExportOptionParser.loggedNoEffect()).containsExactlyInAnyOrder("subtree_check", "wdelay",
                "no_wdelay", "insecure_locks", "secure_locks", "no_auth_nlm", "auth_nlm", "acl", "no_acl", "nordirplus",
                "pnfs", "no_pnfs", "security_label", "xprtsec=none");
        assertThat(messages()).hasSize(14);
    }
}
