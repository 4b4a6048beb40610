package io.edgenfsd.manifest;

/** One finding of {@code manifest check}, located as {@code file:document:path}. */
public final class Diagnostic {
    public enum Severity { ERROR, WARNING, NOTE }

    public final Severity severity;
    /** {@code file:document:path}, document numbered from 1, path like {@code spec.accessModes[0]}. */
    public final String location;
    public final int line;
    public final String message;

    public Diagnostic(Severity severity, String location, int line, String message) {
        this.severity = severity;
        this.location = location;
        this.line = line;
        this.message = message;
    }

    @Override
    public String toString() {
        return location + (line > 0 ? " (line " + line + ")" : "") + ": "
                + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
