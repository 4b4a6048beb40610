package io.edgenfsd.manifest;

import io.edgenfsd.manifest.ServerAddress.Iface;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.List;
import picocli.CommandLine;

/** Runs the command as the server's CLI will: new CommandLine(new ManifestCommand()).execute(args). */
final class Cli {
    final int exit;
    final String out;
    final String err;

    private Cli(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    /** A Pi-like host: lo, eth0 192.168.1.10, and k3s' cni0/flannel.1. */
    static List<Iface> piInterfaces() {
        try {
            return List.of(
                    new Iface("lo", 1, true, true, List.of(InetAddress.getByName("127.0.0.1"))),
                    new Iface("eth0", 2, true, false, List.of(InetAddress.getByName("192.168.1.10"))),
                    new Iface("cni0", 5, true, false, List.of(InetAddress.getByName("10.42.0.1"))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Cli run(String... args) {
        return run(new ManifestCommand(Cli::piInterfaces), args);
    }

    static Cli run(ManifestCommand cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }
}
