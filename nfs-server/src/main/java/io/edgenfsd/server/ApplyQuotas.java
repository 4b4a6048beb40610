package io.edgenfsd.server;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.export.ExportsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code edge-nfsd apply-quotas}: sets project id, inherit flag and block limit of every capacity= export,
 * then checks that the kernel enforces it. Setting a limit needs CAP_SYS_ADMIN, which the hardened service
 * does not keep: its unit runs this first with full privileges ({@code ExecStartPre=+}, {@code ExecReload=+}).
 * Exit 0 when every volume is enforced or its filesystem has no project quotas (the size is then only
 * reported), 1 when one could not be set up, 2 for invalid exports.
 */
@Command(name = "apply-quotas", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        description = "set the project quota of every capacity= export (needs root); one line per export")
final class ApplyQuotas implements Callable<Integer> {
    @Option(names = "--exports", paramLabel = "FILE", description = "exports(5) file, as for serve; repeatable")
    List<Path> exportFiles = new ArrayList<>();

    @Option(names = "--export", paramLabel = "'PATH CLIENT(OPTIONS)'", description = "one exports(5) line, as for serve; repeatable")
    List<String> exportLines = new ArrayList<>();

    @Override
    public Integer call() {
        ExportTable t;
        try {
            t = ExportsConfig.load(exportFiles, exportLines);
            // as serve does: the built-in default export is created, a configured one must exist
            ExportsConfig.prepareDirectories(t, ExportsConfig.isDefault(exportFiles, exportLines));
        } catch (ExportsException e) {
            System.err.println("edge-nfsd: " + e.getMessage());
            return 2;
        }
        int rc = 0;
        int n = 0;
        for (Export e : t.exports()) {
            if (e.capacity().isEmpty()) {
                continue;
            }
            n++;
            Volumes.Outcome o = Volumes.setUp(Path.of(e.path()), e.id(), e.capacity().getAsLong());
            switch (o.state()) {
                case ENFORCED -> System.out.println(e.path() + ": " + o.detail());
                case NOT_ENFORCED -> System.out.println(e.path() + ": " + Volumes.size(e.capacity().getAsLong())
                        + ", not enforced: " + o.detail());
                default -> {
                    System.out.println(e.path() + ": error: " + o.detail());
                    rc = 1;
                }
            }
        }
        if (n == 0) {
            System.out.println("no export has capacity=");
        }
        return rc;
    }
}
