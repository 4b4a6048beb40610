package io.edgenfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The picocli-free reader of a server start ({@link ServeArgs}) against picocli: every command line it
 * accepts picocli reads to the same options, every serve option picocli knows it reads too, and every
 * command line it is unsure of (errors, help, other commands) it leaves to picocli.
 */
class ServeArgsTest {

    @Test
    void readsTheSameOptionsAsPicocliForServerStarts() throws Exception {
        List<String[]> lines = List.of(
                new String[] {},
                new String[] {"serve"},
                new String[] {"--export", "/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash,insecure)"},
                new String[] {"serve", "--port", "12049", "--bind", "127.0.0.1", "--lease", "15", "--grace", "30"},
                new String[] {"--port=2050", "--state-dir=/tmp/s", "-v", "--metrics", "127.0.0.1:9469"},
                new String[] {"--export", "/a *(rw)", "--export=/b 10.0.0.0/8(ro)", "--exports", "/etc/exports",
                    "--exports", "/tmp/x.exports"},
                new String[] {"serve", "--threads", "8", "--max-io", "1048576", "--max-inflight", "4194304",
                    "--reply-cache", "1048576", "--idle-timeout", "60", "--record-timeout", "20", "--verbose",
                    "--admin-socket", "/run/x.sock"},
                new String[] {"--port", "0"},
                new String[] {"--port", "08"},
                new String[] {"--grace", "0"});
        for (String[] args : lines) {
            Cli.ServeOptions fast = ServeArgs.parse(args);
            assertThat(fast).as(String.join(" ", args)).isNotNull();
            assertSameOptions(args, fast, picocli(args));
        }
    }

    @Test
    void readsEveryServeOptionThatPicocliKnows() throws Exception {
        CommandLine serve = Cli.commandLine().getSubcommands().get("serve");
        for (OptionSpec opt : serve.getCommandSpec().options()) {
            if (opt.usageHelp() || opt.versionHelp()) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of("serve", opt.longestName()));
            if (opt.arity().max() > 0) {
                Class<?> t = opt.type();
                args.add(t == int.class || t == long.class || t == Integer.class ? "300000" : "/x y");
            }
            String[] a = args.toArray(String[]::new);
            Cli.ServeOptions fast = ServeArgs.parse(a);
            assertThat(fast).as(String.join(" ", a)).isNotNull();
            assertSameOptions(a, fast, picocli(a));
        }
    }

    @Test
    void leavesErrorsAndDoubtfulValuesToPicocliSoItsMessagesStayTheSame() {
        List<String[]> errors = List.of(
                new String[] {"--port"},
                new String[] {"--port", "abc"},
                new String[] {"--port", "1", "--port", "2"},
                new String[] {"--lease", "-5"},
                new String[] {"--port", "99999999999"},
                new String[] {"--port=-1"},
                new String[] {"--nope"},
                new String[] {"serve", "extra"},
                new String[] {"--bind", "--port"},
                new String[] {"-v", "-v"},
                new String[] {"--verbose=true", "--verbose"});
        for (String[] args : errors) {
            assertThat(ServeArgs.parse(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void leavesHelpVersionAndOtherCommandsToPicocli() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"serve", "-V"},
                new String[] {"--version"}, new String[] {"check-config", "--export", "/a *(rw)"},
                new String[] {"version"}, new String[] {"status"}, new String[] {"@args.txt"},
                new String[] {"--export", "@line"}, new String[] {"--", "--port", "1"})) {
            assertThat(ServeArgs.parse(args)).as(String.join(" ", args)).isNull();
        }
    }

    /** The options picocli reads from args: the top-level command's, or serve's. */
    private static Cli.ServeOptions picocli(String[] args) {
        CommandLine cl = Cli.commandLine();
        ParseResult r = cl.parseArgs(args);
        if (r.subcommand() != null) {
            return ((Cli.Serve) r.subcommand().commandSpec().userObject()).options;
        }
        return ((Cli) cl.getCommand()).options;
    }

    private static void assertSameOptions(String[] args, Cli.ServeOptions fast, Cli.ServeOptions slow)
            throws IllegalAccessException {
        for (Field f : Cli.ServeOptions.class.getDeclaredFields()) {
            f.setAccessible(true);
            assertThat(Objects.equals(f.get(fast), f.get(slow)))
                    .as("%s: %s is %s, picocli read %s", String.join(" ", args), f.getName(), f.get(fast), f.get(slow))
                    .isTrue();
        }
    }
}
