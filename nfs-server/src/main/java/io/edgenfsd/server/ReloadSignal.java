package io.edgenfsd.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP reloads the exports, as it does for most daemons (and `kill -HUP` without the admin socket). */
final class ReloadSignal {
    private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

    private static final int SIGHUP = 1;

    private ReloadSignal() {
    }

    /**
     * sun.misc.Signal (module jdk.unsupported, present in every JDK and JRE we run on) is reached by
     * reflection: javac's warning for it cannot be suppressed, and the build treats warnings as errors.
     */
    static void install(NfsServer server) {
        Runnable onHup = () -> {
            log.info("SIGHUP: reloading the exports");
            SystemdNotify.reloading();
            server.reload();
            SystemdNotify.ready();
        };
        try {
            if (io.edgenfsd.vfs.linux.LinuxCalls.unignoreSignal(SIGHUP)) {
                log.info("SIGHUP was ignored by whoever started edge-nfsd (nohup?): it now reloads the exports");
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("cannot read the disposition of SIGHUP: {}", e.toString());
        }
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object proxy = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (p, m, args) -> {
                        if (m.getName().equals("handle")) {
                            onHup.run();
                            return null;
                        }
                        return switch (m.getName()) {
                            case "hashCode" -> System.identityHashCode(p);
                            case "equals" -> p == args[0];
                            default -> "SIGHUP handler";
                        };
                    });
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            signal.getMethod("handle", signal, handler).invoke(null, hup, proxy);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException t ? t.getCause() : e;
            log.warn("cannot handle SIGHUP ({}): use 'edge-nfsd reload' to reload the exports", cause.getMessage());
        }
    }
}
