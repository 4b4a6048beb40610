package io.edgenfsd.manifest;

import io.edgenfsd.manifest.BindingSimulator.Outcome;
import io.edgenfsd.manifest.Diagnostic.Severity;
import io.edgenfsd.manifest.Resources.Origin;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code manifest check}: schema errors with file:document:path locations, then the binding simulation. */
public final class ManifestChecker {

    /** Everything one check found. */
    public static final class Report {
        public final List<Diagnostic> diagnostics = new ArrayList<>();
        public final List<Outcome> outcomes = new ArrayList<>();
        public final List<String> notes = new ArrayList<>();
        public int volumes;

        public long count(Severity s) {
            return diagnostics.stream().filter(d -> d.severity == s).count();
        }

        /** 0 when there is no error and every claim binds to an NFS volume; 1 otherwise. */
        public int exitCode() {
            if (count(Severity.ERROR) > 0) {
                return 1;
            }
            for (Outcome o : outcomes) {
                if (!o.status.isNfs()) {
                    return 1;
                }
            }
            return 0;
        }

        public void print(PrintWriter out) {
            for (Diagnostic d : diagnostics) {
                out.println(d);
            }
            if (!diagnostics.isEmpty()) {
                out.println();
            }
            for (Outcome o : outcomes) {
                out.println("claim " + o.claim.key() + " (" + o.claim.origin + "): " + o.summary);
                for (String d : o.details) {
                    out.println("  - " + d);
                }
                for (String w : o.warnings) {
                    out.println("  ! " + w);
                }
            }
            for (String n : notes) {
                out.println("note: " + n);
            }
            long bound = outcomes.stream().filter(o -> o.status.isNfs()).count();
            long bindingWarnings = outcomes.stream().mapToLong(o -> o.warnings.size()).sum();
            out.println("summary: " + outcomes.size() + " claim(s), " + bound + " bound to NFS, "
                    + (outcomes.size() - bound) + " not; " + volumes + " volume(s); " + count(Severity.ERROR)
                    + " error(s), " + count(Severity.WARNING) + " warning(s), " + bindingWarnings
                    + " binding warning(s)");
            out.flush();
        }
    }

    /** One input: a display name (file name, or "-" / "stdin") and its text. */
    public static final class Source {
        final String name;
        final Reader reader;

        public Source(String name, Reader reader) {
            this.name = name;
            this.reader = reader;
        }
    }

    private ManifestChecker() {
    }

    public static Report check(List<Source> sources, String defaultClass) throws IOException {
        Report report = new Report();
        DocumentValidator validator = new DocumentValidator();
        for (Source s : sources) {
            List<YNode> docs;
            try {
                docs = YamlDocuments.read(s.reader, s.name);
            } catch (YamlDocuments.SyntaxError e) {
                report.diagnostics.add(new Diagnostic(Severity.ERROR, s.name + ":" + e.document, 0,
                        "YAML syntax error: " + e.getMessage()));
                continue;
            }
            for (int i = 0; i < docs.size(); i++) {
                if (docs.get(i) != null) {
                    validator.validate(docs.get(i), new Origin(s.name, i + 1));
                }
            }
        }
        report.diagnostics.addAll(validator.diagnostics);
        duplicates(validator, report);
        report.volumes = validator.volumes.size();
        BindingSimulator sim = new BindingSimulator(validator.volumes, validator.classes, defaultClass);
        report.outcomes.addAll(sim.run(validator.claims));
        report.notes.addAll(sim.orphanClaimRefs(validator.claims));
        for (Resources.Claim c : validator.claims) {
            if (!c.namespaceGiven) {
                report.notes.add("claim " + c.name + " (" + c.origin + ") has no metadata.namespace; assumed"
                        + " \"default\" (kubectl uses your context's namespace)");
            }
        }
        for (Resources.ClaimUse use : validator.claimUses) {
            boolean present = validator.claims.stream().anyMatch(c -> c.key().equals(use.key()));
            if (!present) {
                report.notes.add("Job " + use.job + " (" + use.origin + ") mounts claim " + use.key()
                        + (use.readOnly ? " read-only" : "") + ", which is not in the files checked: it must exist"
                        + " before the Job runs, or the Job's pod stays Pending");
            }
        }
        if (validator.claims.isEmpty() && validator.claimUses.isEmpty()) {
            report.notes.add("no PersistentVolumeClaim in the files checked; nothing to bind");
        }
        return report;
    }

    /**
     * Two documents for the same object: kubectl apply keeps the last one only, so e.g. two servers' StorageClasses
     * of one name leave a single class pointing at one server (and a StorageClass's parameters cannot be changed
     * once it exists).
     */
    private static void duplicates(DocumentValidator v, Report report) {
        Map<String, Origin> seen = new HashMap<>();
        for (Resources.StorageClass sc : v.classes) {
            duplicate(seen, "StorageClass " + sc.name, sc.name, sc.origin, report,
                    "; give each server its own class (edge-nfsd manifest --csi --storage-class NAME)");
        }
        for (Resources.Volume pv : v.volumes) {
            duplicate(seen, "PersistentVolume " + pv.name, pv.name, pv.origin, report, "");
        }
        for (Resources.Claim c : v.claims) {
            duplicate(seen, "PersistentVolumeClaim " + c.key(), c.name, c.origin, report, "");
        }
    }

    private static void duplicate(Map<String, Origin> seen, String what, String name, Origin at, Report report,
                                  String hint) {
        if (name == null) {
            return;
        }
        Origin first = seen.putIfAbsent(what, at);
        if (first != null) {
            report.diagnostics.add(new Diagnostic(Severity.ERROR, at.at("metadata.name"), 0, what
                    + " is also defined at " + first + "; kubectl apply keeps only the last of the two" + hint));
        }
    }
}
