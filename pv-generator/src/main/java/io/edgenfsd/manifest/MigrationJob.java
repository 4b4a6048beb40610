package io.edgenfsd.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A one-off Kubernetes Job that copies a volume's data from one claim (an edge-nfsd PV) to another (e.g. a
 * claim of a Longhorn or Rook-Ceph StorageClass), keeping owners, modes, times, hard links and symlinks, and
 * then compares the two trees.
 */
public final class MigrationJob {

    /**
     * Debian's slim image: GNU coreutils ({@code cp -a}: mode, owner, times, links, xattrs) and diffutils, in
     * an official image published for linux/amd64, linux/arm64 and linux/arm/v7 (a Pi 3/4/5 with a 64- or
     * 32-bit OS).
     */
    public static final String DEFAULT_IMAGE = "debian:bookworm-slim";
    /** The file the copy keeps in the target while it is unfinished, so that a retry may go on. */
    static final String MARKER = ".edge-nfsd-migrating";
    /** Exit code of the script when the target already holds data; the Job fails at once on it. */
    static final int REFUSED_EXIT = 3;
    static final String CONTAINER = "copy";
    /** Capabilities cp -a needs as root to recreate what it reads (all in the Pod Security "baseline" set). */
    static final List<String> CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "MKNOD", "SETFCAP");

    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

    /** What the Job is made of; defaults applied by the command. */
    public static final class Options {
        public String fromClaim;
        public String toClaim;
        public String namespace = "default";
        /** null: migrate-FROM. */
        public String name;
        public String image = DEFAULT_IMAGE;
        public int backoffLimit = 2;
        public Map<String, String> labels = new LinkedHashMap<>();
    }

    private MigrationJob() {
    }

    static String jobName(Options o) {
        return o.name != null ? o.name : "migrate-" + o.fromClaim;
    }

    /** The errors, each naming its flag; empty when the Job can be made. */
    public static List<String> validate(Options o) {
        List<String> errors = new ArrayList<>();
        String why = Names.checkSubdomain(o.fromClaim);
        if (why != null) {
            errors.add("--from-claim: '" + o.fromClaim + "' is not a valid PersistentVolumeClaim name: " + why);
        }
        why = Names.checkSubdomain(o.toClaim);
        if (why != null) {
            errors.add("--to-claim: '" + o.toClaim + "' is not a valid PersistentVolumeClaim name: " + why);
        }
        if (o.fromClaim.equals(o.toClaim)) {
            errors.add("--to-claim: '" + o.toClaim + "' is also --from-claim; the copy needs two different claims");
        }
        why = Names.checkLabel(o.namespace);
        if (why != null) {
            errors.add("--namespace: '" + o.namespace + "' is not a valid namespace: " + why);
        }
        String job = jobName(o);
        why = checkJobName(job);
        if (why != null) {
            errors.add((o.name != null ? "--name" : "--from-claim") + ": Job name '" + job + "' " + why
                    + (o.name == null ? "; choose one with --name" : ""));
        }
        if (!IMAGE.matcher(o.image).matches()) {
            errors.add("--image: '" + o.image + "' is not an image reference such as " + DEFAULT_IMAGE);
        }
        if (o.backoffLimit < 0 || o.backoffLimit > 10) {
            errors.add("--backoff-limit: must be 0..10 retries, got " + o.backoffLimit);
        }
        errors.addAll(Names.labelFlagErrors(o.labels));
        return errors;
    }

    /**
     * Null when valid. The Job controller puts the Job's name into its pods' job-name label, so the API server
     * refuses a Job name that is no valid label value (more than 63 characters).
     */
    static String checkJobName(String name) {
        String why = Names.checkSubdomain(name);
        if (why != null) {
            return "is not a valid object name: " + why;
        }
        if (name.length() > 63) {
            return "is longer than 63 characters (" + name.length() + "); a Job's name goes into its pods'"
                    + " job-name label, which allows 63";
        }
        return null;
    }

    /**
     * The shell script the container runs (POSIX sh; GNU cp, diff and find), copying directory {@code from} into
     * directory {@code to} (the Job's mount points /from and /to).
     */
    static String script(Options o, String from, String to) {
        String marker = to + "/" + MARKER;
        return String.join("\n",
                "set -eu",
                "# Refuse to copy over data: the target must be empty (lost+found aside) unless an earlier try of",
                "# this Job left its marker there.",
                "if [ ! -e " + marker + " ] && [ -n \"$(ls -A " + to + " | grep -v -x -e lost+found || true)\" ]; then",
                "  echo \"migrate: claim " + o.toClaim + " already holds data; refusing to copy over it\" >&2",
                "  exit " + REFUSED_EXIT,
                "fi",
                "touch " + marker,
                "# -a: recursive; keeps symlinks as symlinks, hard links, owner, group, mode, times and xattrs",
                "cp -a " + from + "/. " + to + "/",
                "# compare contents and the shape of the tree (symlinks compared as links, not followed)",
                "diff -r --no-dereference -x lost+found -x " + MARKER + " " + from + " " + to,
                "rm " + marker,
                "sync",
                "echo \"migrate: copied claim " + o.fromClaim + " to claim " + o.toClaim + " and compared them:"
                        + " $(find " + to + " | wc -l) entries\"",
                "");
    }

    public static Map<String, Object> generate(Options o) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        Map<String, Object> md = new LinkedHashMap<>();
        md.put("name", jobName(o));
        md.put("namespace", o.namespace);
        if (!o.labels.isEmpty()) {
            md.put("labels", new LinkedHashMap<>(o.labels));
        }
        job.put("metadata", md);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("backoffLimit", o.backoffLimit);
        // the script's "target already holds data" is final: no retry can change it
        Map<String, Object> exitCodes = new LinkedHashMap<>();
        exitCodes.put("containerName", CONTAINER);
        exitCodes.put("operator", "In");
        exitCodes.put("values", List.of(REFUSED_EXIT));
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("action", "FailJob");
        rule.put("onExitCodes", exitCodes);
        spec.put("podFailurePolicy", Map.of("rules", List.of(rule)));

        Map<String, Object> template = new LinkedHashMap<>();
        if (!o.labels.isEmpty()) {
            template.put("metadata", Map.of("labels", new LinkedHashMap<>(o.labels)));
        }
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("restartPolicy", "Never");
        pod.put("securityContext", Map.of("seccompProfile", Map.of("type", "RuntimeDefault")));

        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", CONTAINER);
        container.put("image", o.image);
        container.put("command", List.of("/bin/sh", "-c", script(o, "/from", "/to")));
        Map<String, Object> sc = new LinkedHashMap<>();
        // root, to read every owner's files on the NFS export (no_root_squash) and to recreate their owners
        sc.put("runAsUser", 0);
        sc.put("runAsGroup", 0);
        sc.put("allowPrivilegeEscalation", false);
        sc.put("readOnlyRootFilesystem", true);
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("drop", List.of("ALL"));
        caps.put("add", new ArrayList<>(CAPABILITIES));
        sc.put("capabilities", caps);
        container.put("securityContext", sc);
        container.put("volumeMounts", List.of(mount("from", "/from", true), mount("to", "/to", false)));
        pod.put("containers", List.of(container));
        pod.put("volumes", List.of(volume("from", o.fromClaim, true), volume("to", o.toClaim, false)));
        template.put("spec", pod);
        spec.put("template", template);
        job.put("spec", spec);
        return job;
    }

    private static Map<String, Object> mount(String name, String path, boolean readOnly) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("mountPath", path);
        if (readOnly) {
            m.put("readOnly", true);
        }
        return m;
    }

    private static Map<String, Object> volume(String name, String claim, boolean readOnly) {
        Map<String, Object> src = new LinkedHashMap<>();
        src.put("claimName", claim);
        if (readOnly) {
            src.put("readOnly", true);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("persistentVolumeClaim", src);
        return v;
    }
}
