package io.edgenfsd.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.TimeZone;

/**
 * The daemon's logging, set up in code: one console appender, lines {@code HH:mm:ss.SSS LEVEL Logger: msg}
 * (without the time under systemd: journald stamps lines itself), Netty at WARN, the root at INFO or
 * DEBUG ({@code -v}). Measured in the power-cut test (it/server-guest, a 1-vCPU emulated board): a
 * logback.xml loaded the JDK's XML parser and Joran, and logback's PatternLayout initialises ~70
 * converters; together about 18 s of the 46 s from JVM start to the bound port. A
 * {@code logback.configurationFile} property or a {@code logback-test.xml} (the tests) still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** Set by {@link Cli} under systemd: journald adds its own timestamps. */
    static final String NO_TIMESTAMPS = "edge.nfsd.log.noTimestamps";
    /** Set by {@link Cli} for {@code -v}. */
    static final String DEBUG = "edge.nfsd.log.debug";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Line layout = new Line(System.getProperty(NO_TIMESTAMPS) == null);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(System.getProperty(DEBUG) != null ? Level.DEBUG : Level.INFO);
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code [HH:mm:ss.SSS ]LEVEL SimpleLoggerName: message}, then the stack trace if any. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private final boolean timestamps;

        Line(boolean timestamps) {
            this.timestamps = timestamps;
        }

        @Override
        public String doLayout(ILoggingEvent e) {
            StringBuilder b = new StringBuilder(128);
            if (timestamps) {
                long t = e.getTimeStamp();
                long ms = Math.floorMod(t + TimeZone.getDefault().getOffset(t), 86_400_000L);
                two(b, ms / 3_600_000).append(':');
                two(b, ms / 60_000 % 60).append(':');
                two(b, ms / 1000 % 60).append('.');
                long frac = ms % 1000;
                b.append(frac < 100 ? (frac < 10 ? "00" : "0") : "").append(frac).append(' ');
            }
            String level = e.getLevel().toString();
            b.append(level);
            for (int i = level.length(); i < 5; i++) {
                b.append(' ');
            }
            String name = e.getLoggerName();
            b.append(' ').append(name, name.lastIndexOf('.') + 1, name.length()).append(": ")
                    .append(e.getFormattedMessage()).append('\n');
            IThrowableProxy thrown = e.getThrowableProxy();
            if (thrown != null) {
                b.append(ThrowableProxyUtil.asString(thrown)).append('\n');
            }
            return b.toString();
        }

        private static StringBuilder two(StringBuilder b, long v) {
            return b.append(v < 10 ? "0" : "").append(v);
        }
    }
}
