package io.edgenfsd.server;

import io.edgenfsd.vfs.linux.Capabilities;
import io.edgenfsd.vfs.linux.LinuxCalls;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NFS worker threads run without CAP_SYS_RESOURCE (so quota limits bind no_root_squash root clients),
 * keep the capabilities root-client semantics need, and the rest of the process keeps what it had. Read
 * from the kernel's own view, /proc/thread-self/status CapEff.
 *
 * <p>A build host may itself lack CAP_SYS_RESOURCE (a container's bounding set); the real drop is then
 * checked in a child JVM in a new user namespace, where root has every capability.
 */
class WorkerCapabilitiesTest {
    private static final long SYS_RESOURCE = 1L << Capabilities.CAP_SYS_RESOURCE;
    /** CAP_CHOWN 0, CAP_DAC_OVERRIDE 1, CAP_DAC_READ_SEARCH 2, CAP_FOWNER 3, CAP_FSETID 4, CAP_SETGID 6, CAP_SETUID 7, CAP_MKNOD 27. */
    private static final long ROOT_CLIENT_CAPS = 0b1101_1111L | 1L << 27;
    private static final int CAP_SYS_NICE = 23;

    /** What worker and main thread hold: "main=HEX worker=HEX worker-capget=BOOL main-after=HEX". */
    static String probe(int cap) throws Exception {
        long mainBefore = Capabilities.effectiveFromProc();
        ExecutorService pool = Executors.newFixedThreadPool(2, NfsServer.workerThreads(cap));
        List<String> seen = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) { // both threads of the pool, twice each (kept, not dropped per call)
                seen.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return Long.toHexString(Capabilities.effectiveFromProc()) + " " + Capabilities.effective(cap);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).as("the same on every worker").containsOnly(seen.get(0));
        String[] w = seen.get(0).split(" ");
        return "main=" + Long.toHexString(mainBefore) + " worker=" + w[0] + " worker-capget=" + w[1]
                + " main-after=" + Long.toHexString(Capabilities.effectiveFromProc());
    }

    /** Run in the child JVM: prints {@link #probe} of CAP_SYS_RESOURCE. */
    public static void main(String[] args) throws Exception {
        System.out.println("PROBE " + probe(Capabilities.CAP_SYS_RESOURCE));
    }

    private static void check(String probe, int cap) {
        String[] f = probe.split(" ");
        long main = Long.parseUnsignedLong(f[0].substring(5), 16);
        long worker = Long.parseUnsignedLong(f[1].substring(7), 16);
        long bit = 1L << cap;
        assertThat(main & bit).as("%s: the main thread has capability %d to begin with", probe, cap).isNotZero();
        assertThat(worker & bit).as("%s: the worker lost it", probe).isZero();
        assertThat(f[2]).as("capget on the worker").isEqualTo("worker-capget=false");
        assertThat(worker).as("%s: nothing else is dropped (DAC, FOWNER, CHOWN, SETUID, MKNOD stay)", probe)
                .isEqualTo(main & ~bit);
        assertThat(worker & ROOT_CLIENT_CAPS).isEqualTo(ROOT_CLIENT_CAPS);
        assertThat(f[3]).as("the main thread keeps what it had").isEqualTo("main-after=" + Long.toHexString(main));
    }

    @Test
    void workersDropTheirCapabilityWhileTheMainThreadKeepsIt() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("needs root (CI runs tests as root)").isZero();
        // the mechanism, in this JVM, with a capability every root here holds
        check(probe(CAP_SYS_NICE), CAP_SYS_NICE);
    }

    @Test
    void serverWorkersRunWithoutCapSysResourceEvenWhereRootHasIt() throws Exception {
        assertThat(LinuxCalls.geteuid()).as("needs root (CI runs tests as root)").isZero();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder("unshare", "--user", "--map-root-user", java, "-cp",
                System.getProperty("java.class.path"), WorkerCapabilitiesTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String line = out.lines().filter(l -> l.startsWith("PROBE ")).findFirst().orElseThrow(() ->
                new AssertionError("no PROBE line from the child JVM: " + out));
        check(line.substring(6), Capabilities.CAP_SYS_RESOURCE);
    }
}
