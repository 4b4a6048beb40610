package io.edgenfsd.manifest;

import picocli.CommandLine;

/** Runs {@code manifest} on its own: {@code java -jar pv-generator.jar [check] ...}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ManifestCommand()).execute(args));
    }
}
