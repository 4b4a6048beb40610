package io.edgenfsd;

import io.edgenfsd.server.Cli;

/** Entry point of edge-nfsd.jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }
}
