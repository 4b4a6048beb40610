package io.edgenfsd.export;

// TEMPORARY STUB replaced by the export branch
public final class ExportsException extends Exception {
    public ExportsException(String m) {
        super(m);
    }
}
