package io.edgenfsd.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP reloads the exports, as it does for most daemons (and `kill -HUP` without the admin socket). */
final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    static void install(NfsServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                log.info("SIGHUP: reloading the exports");
                SystemdNotify.reloading();
                server.reload();
                SystemdNotify.ready();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("cannot handle SIGHUP ({}): use 'edge-nfsd reload' to reload the exports", e.getMessage());
        }
    }
}
