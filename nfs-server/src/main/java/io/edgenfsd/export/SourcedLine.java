package io.edgenfsd.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One physical line of an exports source, with where it came from (for {@code file:line} messages). */
public record SourcedLine(String source, int line, String text) {
    public SourcedLine {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
    }

    /** Numbers {@code lines} from 1 and tags each with {@code source}. */
    public static List<SourcedLine> of(List<String> lines, String source) {
        List<SourcedLine> out = new ArrayList<>(lines.size());
        int n = 1;
        for (String l : lines) {
            out.add(new SourcedLine(source, n++, l == null ? "" : l));
        }
        return out;
    }
}
