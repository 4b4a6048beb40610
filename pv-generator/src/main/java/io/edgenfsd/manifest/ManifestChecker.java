package io.edgenfsd.manifest;

import io.edgenfsd.manifest.BindingSimulator.Outcome;
import io.edgenfsd.manifest.Diagnostic.Severity;
import io.edgenfsd.manifest.Resources.Origin;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

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
        if (validator.claims.isEmpty()) {
            report.notes.add("no PersistentVolumeClaim in the files checked; nothing to bind");
        }
        return report;
    }
}
