package io.edgenfsd.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's log line, made without logback's PatternLayout (see LogSetup for why). */
class LogSetupTest {
    private static LoggingEvent event(Level level, String msg, Throwable t, Object... args) {
        LoggerContext ctx = new LoggerContext();
        LoggingEvent e = new LoggingEvent("fqcn", ctx.getLogger("io.edgenfsd.state.StateManager"), level, msg, t, args);
        e.setTimeStamp(1_700_000_000_123L);
        return e;
    }

    @Test
    void lineHasTheTimeThePaddedLevelTheSimpleLoggerNameAndTheFormattedMessage() {
        String line = new LogSetup.Line(true).doLayout(event(Level.INFO, "grace of {} s", null, 15));
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.123 INFO  StateManager: grace of 15 s\n");
    }

    @Test
    void underSystemdTheLineStartsWithTheLevel() {
        assertThat(new LogSetup.Line(false).doLayout(event(Level.WARN, "w", null))).isEqualTo("WARN  StateManager: w\n");
    }

    @Test
    void aThrowableFollowsWithItsStackTrace() {
        String line = new LogSetup.Line(false).doLayout(event(Level.ERROR, "boom", new IllegalStateException("why")));
        assertThat(line).startsWith("ERROR StateManager: boom\njava.lang.IllegalStateException: why\n").contains("\tat ");
    }
}
