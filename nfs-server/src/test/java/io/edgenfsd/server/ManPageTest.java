package io.edgenfsd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The man page (packaging/src/deb/man/edge-nfsd.1) against the command tree that {@code edge-nfsd --help}
 * prints: every command has a ".B NAME" entry under COMMANDS, and every option of a command has an entry in
 * that command's "NAME OPTIONS" section (serve's for the top-level command), and no entry there names an
 * option the command does not have.
 */
class ManPageTest {
    private static final Path MAN = Path.of("..", "packaging", "src", "deb", "man", "edge-nfsd.1");
    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");

    /** The man page source with roff's escaped hyphens made plain. */
    private static String man() throws IOException {
        return Files.readString(MAN, StandardCharsets.UTF_8).replace("\\-", "-");
    }

    /** Section title to its text. */
    private static Map<String, String> sections(String man) {
        Map<String, String> out = new LinkedHashMap<>();
        String title = null;
        StringBuilder body = new StringBuilder();
        for (String line : man.split("\n", -1)) {
            if (line.startsWith(".SH ")) {
                if (title != null) {
                    out.put(title, body.toString());
                }
                title = line.substring(4).replace("\"", "").trim();
                body.setLength(0);
            } else {
                body.append(line).append('\n');
            }
        }
        if (title != null) {
            out.put(title, body.toString());
        }
        return out;
    }

    /** Every command below the root, by its name as typed after "edge-nfsd" ("manifest migrate"). */
    private static Map<String, CommandSpec> commands(CommandLine cl, String prefix, Map<String, CommandSpec> out) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String name = (prefix.isEmpty() ? "" : prefix + " ") + e.getKey();
            out.put(name, e.getValue().getCommandSpec());
            commands(e.getValue(), name, out);
        }
        return out;
    }

    private static boolean isHelpCommand(CommandSpec spec) {
        return spec.userObject() instanceof CommandLine.HelpCommand;
    }

    /** The long names of a command's own options (help and version are described once, for all). */
    private static Set<String> options(CommandSpec spec) {
        Set<String> out = new LinkedHashSet<>();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp() || o.hidden()) {
                continue;
            }
            out.add(o.longestName());
        }
        return out;
    }

    private static String shown(String command) {
        return "'" + ("edge-nfsd " + command).trim() + "'";
    }

    private static String sectionOf(String command) {
        return (command.isEmpty() ? "SERVE" : command.toUpperCase(Locale.ROOT)) + " OPTIONS";
    }

    /** The options a section describes: names on the line after each ".TP". */
    private static Set<String> described(String section) {
        Set<String> out = new LinkedHashSet<>();
        String[] lines = section.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].equals(".TP") && lines[i + 1].startsWith(".B")) {
                Matcher m = LONG_OPTION.matcher(lines[i + 1]);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    @Test
    void everyCommandOfTheCliHasAnEntryUnderCommands() throws IOException {
        String commandsSection = sections(man()).get("COMMANDS");
        assertThat(commandsSection).as("COMMANDS section of " + MAN).isNotNull();
        Map<String, CommandSpec> commands = commands(Cli.commandLine(), "", new LinkedHashMap<>());
        assertThat(commands).containsKeys("serve", "check-config", "version", "manifest", "manifest check",
                "manifest migrate");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CommandSpec> e : commands.entrySet()) {
            String entry = isHelpCommand(e.getValue()) ? ".B help" : ".B " + e.getKey();
            if (!commandsSection.contains("\n" + entry + "\n")) {
                missing.add(e.getKey());
            }
        }
        assertThat(missing).as("commands with no '.B NAME' entry under COMMANDS in " + MAN).isEmpty();
    }

    @Test
    void everyOptionOfEveryCommandIsDescribedInItsCommandsSectionAndNothingElseIs() throws IOException {
        Map<String, String> sections = sections(man());
        Map<String, CommandSpec> commands = new LinkedHashMap<>();
        commands.put("", Cli.commandLine().getCommandSpec());
        commands(Cli.commandLine(), "", commands);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, CommandSpec> e : commands.entrySet()) {
            Set<String> options = options(e.getValue());
            String title = sectionOf(e.getKey());
            String section = sections.get(title);
            if (options.isEmpty() || e.getKey().equals("serve")) {
                continue; // serve shares the top-level command's options: one section for both
            }
            if (section == null) {
                problems.add("no section \"" + title + "\" for the options " + options + " of " + shown(e.getKey()));
                continue;
            }
            Set<String> described = described(section);
            for (String o : options) {
                if (!described.contains(o)) {
                    problems.add(o + " of " + shown(e.getKey()) + " has no .TP entry in " + title);
                }
            }
            for (String d : described) {
                if (!options.contains(d)) {
                    problems.add(title + " describes " + d + ", which " + shown(e.getKey()) + " does not have");
                }
            }
        }
        assertThat(problems).as("man page " + MAN + " against the picocli command tree").isEmpty();
        assertThat(options(commands.get("serve"))).as("serve and the top-level command take the same options")
                .isEqualTo(options(commands.get("")));
    }

    @Test
    void theCheckNoticesAnOptionMissingFromItsSection() throws IOException {
        String section = sections(man()).get("MANIFEST MIGRATE OPTIONS");
        assertThat(described(section)).contains("--from-claim", "--to-claim", "--output");
        String without = section.replace(".TP\n.BI --image \" IMAGE\"", ".TP\nImage, see above.");
        assertThat(without).isNotEqualTo(section);
        assertThat(described(without)).doesNotContain("--image");
    }

    @Test
    void helpListsEveryCommandAndTheTopLevelOptions() {
        CommandLine cl = Cli.commandLine();
        String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String c : cl.getSubcommands().keySet()) {
            assertThat(help).contains("  " + c + " ");
        }
        for (String o : options(cl.getCommandSpec())) {
            assertThat(help).contains(o);
        }
        assertThat(help).contains("man edge-nfsd");
        String manifestHelp = cl.getSubcommands().get("manifest").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(manifestHelp).contains("check").contains("migrate");
    }

    @Test
    void everyCommandsVersionOptionPrintsTheVersion() {
        Map<String, CommandSpec> commands = commands(Cli.commandLine(), "", new LinkedHashMap<>());
        for (Map.Entry<String, CommandSpec> e : commands.entrySet()) {
            if (e.getValue().optionsMap().containsKey("--version")) {
                String[] v = e.getValue().version();
                assertThat(v).as(shown(e.getKey()) + " --version").isNotEmpty();
                assertThat(v[0]).as(shown(e.getKey()) + " --version").startsWith("edge-nfsd ");
            }
        }
    }
}
