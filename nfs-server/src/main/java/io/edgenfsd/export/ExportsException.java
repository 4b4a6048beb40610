package io.edgenfsd.export;

/**
 * A problem in an exports(5) source that stops loading. The message always reads
 * {@code SOURCE:LINE: what is wrong} (or {@code SOURCE: what is wrong} when the problem is not tied to
 * a line, e.g. an unreadable file), so it can be printed to the user as-is.
 */
public final class ExportsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    public ExportsException(String source, int line, String problem) {
        super(line > 0 ? source + ":" + line + ": " + problem : source + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    public ExportsException(String source, int line, String problem, Throwable cause) {
        this(source, line, problem);
        initCause(cause);
    }

    /** File name (or a caller-chosen name such as {@code --export #2}) the problem was found in. */
    public String source() {
        return source;
    }

    /** 1-based line number, or 0 when the problem concerns the whole source. */
    public int line() {
        return line;
    }

    /** The "what is wrong" part of the message, without the location. */
    public String problem() {
        return problem;
    }
}
