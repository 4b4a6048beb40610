package io.edgenfsd.server;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The server's start without picocli: a plain {@code edge-nfsd [serve] [OPTION...]} command line is read
 * here, because on a slow board picocli building its command model (reflection over every command's
 * options) took 3-9 s of the power-on to serving time (it/server-guest/README.md). Anything else (help,
 * version, another command, any option or value this parser is not sure of, any error) gives
 * {@code null} and the command line goes to picocli, which therefore still writes every error message and
 * the help. ServeArgsTest checks that both read the same options the same way.
 */
final class ServeArgs {
    private ServeArgs() {
    }

    /** The options of a plain server start, or null: let picocli read this command line. */
    static Cli.ServeOptions parse(String[] args) {
        Cli.ServeOptions o = new Cli.ServeOptions();
        Set<String> seen = new HashSet<>();
        int i = args.length > 0 && args[0].equals("serve") ? 1 : 0;
        while (i < args.length) {
            String a = args[i++];
            // picocli expands @FILE arguments anywhere, and reads "--" and every other form itself
            if (!a.startsWith("--") && !a.equals("-v") || a.equals("--") || a.startsWith("@")) {
                return null;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("-v") || name.equals("--verbose")) {
                if (value != null || !seen.add("--verbose")) {
                    return null;
                }
                o.verbose = true;
                continue;
            }
            if (value == null) {
                if (i >= args.length) {
                    return null;
                }
                value = args[i++];
            }
            // a value that looks like an option or an argument file: picocli decides what it is
            if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
                return null;
            }
            boolean repeatable = name.equals("--export") || name.equals("--exports");
            if (!repeatable && !seen.add(name) || !set(o, name, value)) {
                return null;
            }
        }
        return o;
    }

    private static boolean set(Cli.ServeOptions o, String name, String v) {
        switch (name) {
            case "--export" -> o.exportLines.add(v);
            case "--exports" -> o.exportFiles.add(Path.of(v));
            case "--bind" -> o.bind = v;
            case "--metrics" -> o.metrics = v;
            case "--state-dir" -> o.stateDir = Path.of(v);
            case "--admin-socket" -> o.adminSocket = Path.of(v);
            case "--port", "--lease", "--threads", "--max-io", "--idle-timeout", "--record-timeout", "--grace" -> {
                Long n = digits(v, Integer.MAX_VALUE);
                if (n == null) {
                    return false;
                }
                setInt(o, name, n.intValue());
            }
            case "--max-inflight", "--reply-cache" -> {
                Long n = digits(v, Long.MAX_VALUE);
                if (n == null) {
                    return false;
                }
                if (name.equals("--max-inflight")) {
                    o.maxInflight = n;
                } else {
                    o.replyCache = n;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void setInt(Cli.ServeOptions o, String name, int n) {
        switch (name) {
            case "--port" -> o.port = n;
            case "--lease" -> o.lease = n;
            case "--threads" -> o.threads = n;
            case "--max-io" -> o.maxIo = n;
            case "--idle-timeout" -> o.idleTimeout = n;
            case "--record-timeout" -> o.recordTimeout = n;
            default -> o.grace = n;
        }
    }

    /** A decimal number up to max; null for anything else (signs, hex, overflow: picocli's to judge). */
    private static Long digits(String v, long max) {
        if (v.length() > 18) {
            return null;
        }
        for (int k = 0; k < v.length(); k++) {
            if (v.charAt(k) < '0' || v.charAt(k) > '9') {
                return null;
            }
        }
        long n = Long.parseLong(v);
        return n <= max ? n : null;
    }
}
