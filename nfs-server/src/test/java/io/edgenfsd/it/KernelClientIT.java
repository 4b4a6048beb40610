package io.edgenfsd.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The judge: a Debian kernel booted under qemu mounts the server over NFSv4.1 and runs the workloads of
 * {@code it/kernel-client/} (see its README). One harness run, one dynamic test per workload; a failed
 * workload fails with its output, exit status, guest dmesg and the server log.
 *
 * <p>Selects the server with system property {@code edge.nfsd.it.server} or env {@code NFS_SERVER}
 * ({@code edge}, the default, or {@code ganesha}); a subset of workloads with {@code edge.nfsd.it.workloads}
 * (comma-separated). Missing qemu or guest assets fail the test: they are not a reason to skip.
 */
class KernelClientIT {

    private static final Duration HARNESS_TIMEOUT = Duration.ofMinutes(45);

    @TestFactory
    Stream<DynamicTest> kernelClientWorkloads() throws Exception {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path repo = module.getParent();
        Path runSh = repo.resolve("it/kernel-client/run.sh");
        String server = setting("edge.nfsd.it.server", "NFS_SERVER", "edge");
        String workloads = setting("edge.nfsd.it.workloads", "EDGE_NFSD_IT_WORKLOADS", "");

        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = module.resolve("target/it-logs/" + stamp + "-" + server);
        Files.createDirectories(runDir);
        Path harnessLog = runDir.resolve("harness.log");

        List<String> cmd = new ArrayList<>(List.of("bash", runSh.toString(), "--server", server));
        for (String w : workloads.split(",")) {
            if (!w.isBlank()) {
                cmd.add(w.trim());
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("EDGE_NFSD_IT_RUN_DIR", runDir.toString());
        pb.environment().putIfAbsent("EDGE_NFSD_JAR", module.resolve("target/edge-nfsd.jar").toString());
        System.out.println("[KernelClientIT] " + String.join(" ", cmd) + "  (logs: " + runDir + ")");

        int exit;
        Process p = pb.start();
        try (OutputStream out = Files.newOutputStream(harnessLog)) {
            Thread pump = new Thread(() -> copy(p.getInputStream(), out), "harness-output");
            pump.setDaemon(true);
            pump.start();
            if (!p.waitFor(HARNESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
                pump.join(5000);
                String log = read(harnessLog);
                return Stream.of(DynamicTest.dynamicTest("harness", () ->
                        fail("kernel-client harness exceeded " + HARNESS_TIMEOUT + "\n" + tail(log, 400))));
            }
            exit = p.exitValue();
            pump.join(10000);
        }
        String harnessOutput = read(harnessLog);

        Path summary = runDir.resolve("summary.tsv");
        List<DynamicTest> tests = new ArrayList<>();
        if (Files.exists(summary)) {
            for (String line : Files.readAllLines(summary, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length < 5) {
                    continue;
                }
                String name = f[0];
                boolean passed = "PASS".equals(f[1]);
                Path resultDir = Path.of(f[4]);
                String seconds = String.format("%.1f s", Long.parseLong(f[3]) / 1000.0);
                tests.add(DynamicTest.dynamicTest(name + " [" + server + ", " + seconds + "]", () -> {
                    if (!passed) {
                        Path report = resultDir.resolve("failure-report.txt");
                        String text = Files.exists(report) ? read(report)
                                : "exit status " + f[2] + ", see " + resultDir;
                        fail("kernel-client workload '" + name + "' failed against " + server + "\n" + text);
                    }
                }));
            }
        }
        if (tests.isEmpty()) {
            final int rc = exit;
            tests.add(DynamicTest.dynamicTest("harness", () -> fail(
                    "kernel-client harness ran no workload (exit status " + rc + "; it needs root, qemu-system-x86, "
                            + "debootstrap, cpio, e2fsprogs, kmod, and nfs-ganesha for the Ganesha switch, which "
                            + ".ci/run installs). Harness output:\n" + tail(harnessOutput, 400))));
        } else if (exit != 0 && Files.readAllLines(summary).stream().allMatch(l -> l.contains("\tPASS\t"))) {
            final int rc = exit;
            tests.add(DynamicTest.dynamicTest("harness", () -> fail(
                    "harness exited with " + rc + " although every workload passed:\n" + tail(harnessOutput, 200))));
        }
        return tests.stream();
    }

    private static String setting(String property, String env, String dflt) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static void copy(InputStream in, OutputStream file) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                file.write(buf, 0, n);
                file.flush();
                System.out.write(buf, 0, n);
                System.out.flush();
            }
        } catch (IOException e) {
            // the harness process went away; whatever it wrote is in the file
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }

    private static String tail(String s, int lines) {
        String[] all = s.split("\n", -1);
        if (all.length <= lines) {
            return s;
        }
        return "[... " + (all.length - lines) + " lines before ...]\n"
                + String.join("\n", java.util.Arrays.copyOfRange(all, all.length - lines, all.length));
    }
}
