package io.edgenfsd.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `edge-nfsd status` and `edge-nfsd reload`: requests to a running server over its admin socket. */
final class AdminCommands {
    private AdminCommands() {
    }

    /** Exit status when the server cannot be reached (no socket, not running, not root). */
    static final int UNREACHABLE = 3;

    static int ask(CommandSpec spec, Path socket, String request) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminSocket.Answer a;
        try {
            a = AdminSocket.request(socket, request);
        } catch (IOException e) {
            err.println("edge-nfsd: cannot reach the server at " + socket + ": " + e.getMessage()
                    + " (is it running? 'systemctl status edge-nfsd'; the socket is root's only)");
            err.flush();
            return UNREACHABLE;
        }
        PrintWriter to = a.ok() ? out : err;
        to.print(a.ok() ? a.text() : "edge-nfsd: " + a.text());
        to.flush();
        return a.ok() ? 0 : 1;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
            description = "show a running server's exports (effective options), clients, sessions, opens and locks")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json")
        String output = "table";

        @Option(names = "--admin-socket", paramLabel = "PATH", description = "the server's admin socket (default: ${DEFAULT-VALUE})")
        Path socket = AdminSocket.DEFAULT;

        @Override
        public Integer call() {
            if (!output.equals("table") && !output.equals("json")) {
                spec.commandLine().getErr().println("edge-nfsd: -o " + output + ": expected table or json");
                return 2;
            }
            return ask(spec, socket, "status " + output);
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
            description = "make a running server re-read its exports; an invalid file is refused (file:line: "
                    + "problem), the exports in force stay, and the exit status is 1")
    static final class Reload implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--admin-socket", paramLabel = "PATH", description = "the server's admin socket (default: ${DEFAULT-VALUE})")
        Path socket = AdminSocket.DEFAULT;

        @Override
        public Integer call() {
            return ask(spec, socket, "reload");
        }
    }
}
