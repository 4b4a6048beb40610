package io.edgenfsd.manifest;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edge-nfsd manifest check FILE...}: validates PV/PVC/StorageClass YAML and simulates binding. */
@Command(name = "check", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        versionProvider = ManifestCommand.Version.class,
        description = {
            "Check PersistentVolume, PersistentVolumeClaim and StorageClass documents (multi-document YAML or"
                    + " JSON): schema errors with file:document:path locations, then, for every claim, which volume"
                    + " it binds to on the cluster or exactly why not."},
        footer = {"",
            "Examples:",
            "  edge-nfsd manifest check pv.yaml pvc.yaml",
            "  edge-nfsd manifest --name pv001 --claim pv-claim | edge-nfsd manifest check -",
            "  edge-nfsd manifest check --default-class '' all.yaml     # a cluster without a default class",
            "",
            "Exit status: 0 every claim binds to an NFS volume and there is no error; 1 otherwise; 2 unreadable"
                    + " input."})
public class CheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to check; - reads stdin.")
    List<String> files = new ArrayList<>();

    @Option(names = "--default-class", paramLabel = "CLASS", defaultValue = "local-path",
            description = "The cluster's default StorageClass, injected into claims without storageClassName"
                    + " (default: ${DEFAULT-VALUE}, as on k3s; '' for none).")
    String defaultClass;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ManifestChecker.Source> sources = new ArrayList<>();
        List<Reader> open = new ArrayList<>();
        try {
            for (String f : files) {
                Reader r;
                if (f.equals("-")) {
                    r = new InputStreamReader(System.in, StandardCharsets.UTF_8);
                } else {
                    try {
                        r = Files.newBufferedReader(Paths.get(f), StandardCharsets.UTF_8);
                    } catch (NoSuchFileException e) {
                        err.println("edge-nfsd manifest check: " + f + ": no such file");
                        err.flush();
                        return 2;
                    } catch (IOException e) {
                        err.println("edge-nfsd manifest check: " + f + ": cannot read: " + e.getMessage());
                        err.flush();
                        return 2;
                    }
                    open.add(r);
                }
                sources.add(new ManifestChecker.Source(f.equals("-") ? "stdin" : f, r));
            }
            ManifestChecker.Report report = ManifestChecker.check(sources, defaultClass);
            report.print(out);
            return report.exitCode();
        } catch (IOException e) {
            err.println("edge-nfsd manifest check: " + e.getMessage());
            err.flush();
            return 2;
        } finally {
            for (Reader r : open) {
                try {
                    r.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }
}
