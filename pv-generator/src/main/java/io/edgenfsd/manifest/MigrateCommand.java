package io.edgenfsd.manifest;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code edge-nfsd manifest migrate}: a one-off Job that copies one claim's data into another claim. */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        versionProvider = ManifestCommand.Version.class,
        description = {
            "Print a one-off Kubernetes Job that copies the data of one claim (e.g. the edge-nfsd volume) into"
                    + " another claim (e.g. one of a replicated StorageClass such as Longhorn or Rook-Ceph), keeping"
                    + " owners, modes, times, hard links and symlinks (cp -a), then compares the two trees (diff -r).",
            "Stop what writes to the source first (scale it to 0); create the target claim before applying.",
            "The target must be empty: the Job refuses to copy over data, and fails at once when it does."},
        footer = {"",
            "Examples:",
            "  edge-nfsd manifest migrate --from-claim pv-claim --to-claim longhorn-claim | kubectl apply -f -",
            "  kubectl logs -f job/migrate-pv-claim",
            "",
            "Exit status: 0 printed; 2 bad flags (the message names the flag)."})
public class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from-claim", required = true, paramLabel = "NAME",
            description = "Claim to copy from, mounted read-only (e.g. the claim of the edge-nfsd PV).")
    String fromClaim;

    @Option(names = "--to-claim", required = true, paramLabel = "NAME",
            description = "Claim to copy into; it must exist and be empty (lost+found aside).")
    String toClaim;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "default",
            description = "Namespace of both claims and of the Job (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--name", paramLabel = "NAME", description = "Job name (default: migrate-FROM).")
    String name;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = MigrationJob.DEFAULT_IMAGE,
            description = "Container image with GNU cp, diff and find (default: ${DEFAULT-VALUE}, published for"
                    + " amd64, arm64 and armv7).")
    String image;

    @Option(names = "--backoff-limit", paramLabel = "N", defaultValue = "2",
            description = "Retries after a failed copy (default: ${DEFAULT-VALUE}); a retry goes on where the"
                    + " last try stopped.")
    int backoffLimit;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Label for the Job and its pod, repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml",
            description = "yaml (default) or json.")
    String output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        MigrationJob.Options o = new MigrationJob.Options();
        o.fromClaim = fromClaim;
        o.toClaim = toClaim;
        o.namespace = namespace;
        o.name = name;
        o.image = image;
        o.backoffLimit = backoffLimit;
        o.labels = new LinkedHashMap<>(labels);
        List<String> errors = new ArrayList<>(MigrationJob.validate(o));
        if (!output.equals("yaml") && !output.equals("json")) {
            errors.add("--output: '" + output + "' is not yaml or json");
        }
        if (!errors.isEmpty()) {
            for (String e : errors) {
                err.println("edge-nfsd manifest migrate: " + e);
            }
            err.flush();
            return 2;
        }
        List<Map<String, Object>> docs = List.of(MigrationJob.generate(o));
        PrintWriter out = spec.commandLine().getOut();
        out.print(output.equals("json") ? Emitter.json(docs) : Emitter.yaml(docs));
        out.flush();
        return 0;
    }
}
