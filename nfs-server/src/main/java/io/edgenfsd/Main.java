package io.edgenfsd;

import io.edgenfsd.server.Cli;

/** Entry point of edge-nfsd.jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Netty samples buffers for leak tracking by default, recording a stack trace per sampled buffer; the
        // tests keep that on, the daemon does not pay for it (-Dio.netty.leakDetection.level=simple turns it on).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty's JFR events are not recorded by anyone on a board; looking for JFR cost start-up time there
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        System.exit(Cli.run(args));
    }
}
