package io.edgenfsd.export;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns exports(5) text into rules, knfsd style.
 *
 * <p>Syntax handled: {@code #} comments to the end of the physical line (outside double quotes); a
 * backslash at the end of a line (trailing blanks allowed) joins the next line; blank lines; a path that
 * may be double-quoted and may carry {@code \ooo} octal escapes ({@code \040} is a space; escaped bytes
 * are read as UTF-8); then clients, each {@code spec} or {@code spec(options)}. A {@code -options} token
 * sets default options for the clients after it on that line (several accumulate). A client without
 * options gets the line's defaults; {@code (options)} with no spec means {@code *} (knfsd warns the same);
 * a path with no client means {@code *} with the line's defaults, with a warning. Unlike knfsd, blanks
 * inside an option list ({@code host(rw, sync)}) are tolerated. Paths must be absolute; they are normalized
 * lexically ({@code //} and {@code /./} collapse, a trailing slash goes); {@code ..} is refused because
 * only the filesystem could say what it means.
 */
final class ExportsParser {
    private static final Logger log = LoggerFactory.getLogger(ExportsParser.class);

    /** A parsed rule before validation across lines and files. */
    record Entry(String path, ExportRule rule, String mountpoint, Long capacity, String file, int line) {
    }

    private record Token(String text, int line, boolean quoted) {
    }

    private ExportsParser() {
    }

    static List<Entry> parse(List<SourcedLine> lines) throws ExportsException {
        List<Entry> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String source = lines.get(i).source();
            StringBuilder text = new StringBuilder();
            List<Integer> lineOf = new ArrayList<>();
            boolean inQuote = false;
            int firstLine = lines.get(i).line();
            while (true) {
                SourcedLine sl = lines.get(i++);
                String s = sl.text();
                int end = s.length();
                boolean q = inQuote;
                for (int k = 0; k < s.length(); k++) {
                    char c = s.charAt(k);
                    if (c == '"') {
                        q = !q;
                    } else if (c == '#' && !q) {
                        end = k;
                        break;
                    }
                }
                String kept = s.substring(0, end);
                String trimmed = kept.stripTrailing();
                boolean backslash = end == s.length() && trimmed.endsWith("\\");
                boolean continued = backslash && i < lines.size() && lines.get(i).source().equals(source);
                if (backslash) {
                    kept = trimmed.substring(0, trimmed.length() - 1);
                }
                for (int k = 0; k < kept.length(); k++) {
                    text.append(kept.charAt(k));
                    lineOf.add(sl.line());
                }
                text.append(' ');
                lineOf.add(sl.line());
                inQuote = q;
                if (!continued) {
                    break;
                }
            }
            parseLogicalLine(text.toString(), lineOf, source, firstLine, out);
        }
        return out;
    }

    private static List<Token> tokenize(String s, List<Integer> lineOf, String source) throws ExportsException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int line = lineOf.get(i);
            boolean first = tokens.isEmpty();
            StringBuilder sb = new StringBuilder();
            boolean inQuote = false;
            boolean quoted = false;
            int depth = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    inQuote = !inQuote;
                    quoted = true;
                    continue;
                }
                if (!inQuote && !first) {
                    if (c == '(') {
                        depth++;
                    } else if (c == ')' && depth > 0) {
                        depth--;
                    }
                }
                if (!inQuote && depth == 0 && Character.isWhitespace(c)) {
                    break;
                }
                sb.append(c);
            }
            if (inQuote) {
                throw new ExportsException(source, line, "missing closing double quote");
            }
            if (depth > 0) {
                throw new ExportsException(source, line, "missing \")\" in \"" + sb.toString().strip() + "\"");
            }
            tokens.add(new Token(sb.toString(), line, quoted));
        }
        return tokens;
    }

    private static void parseLogicalLine(String text, List<Integer> lineOf, String source, int firstLine,
                                         List<Entry> out) throws ExportsException {
        List<Token> tokens = tokenize(text, lineOf, source);
        if (tokens.isEmpty()) {
            return;
        }
        Token pathToken = tokens.get(0);
        String path = normalizePath(decodePath(pathToken, source), source, pathToken.line());
        ExportOptionParser.Builder defaults = ExportOptionParser.Builder.from(ExportOptions.knfsdDefaults());
        boolean anyClient = false;
        for (int t = 1; t < tokens.size(); t++) {
            Token tok = tokens.get(t);
            String s = tok.text();
            if (s.startsWith("-") && !tok.quoted()) {
                defaults = defaults.copy();
                applyOptions(s.substring(1), defaults, source, tok.line());
                continue;
            }
            anyClient = true;
            String spec;
            String opts = null;
            int open = s.indexOf('(');
            if (open < 0) {
                spec = s;
            } else {
                int close = s.indexOf(')');
                if (close != s.length() - 1 || s.indexOf('(', open + 1) >= 0 || close < open) {
                    throw new ExportsException(source, tok.line(), "bad option list in \"" + s
                            + "\": expected CLIENT(OPTIONS) with nothing after \")\"");
                }
                spec = s.substring(0, open);
                opts = s.substring(open + 1, close);
                if (spec.isEmpty()) {
                    log.warn("{}:{}: no client given before \"{}\" for {}: using \"*{}\" (knfsd does the same; "
                            + "did you mean to join it to the client before it?)", source, tok.line(), s, path, s);
                    spec = "*";
                }
            }
            out.add(entry(path, spec, opts, defaults, source, tok.line()));
        }
        if (!anyClient) {
            log.warn("{}:{}: no client given for {}: exporting to \"*\" (knfsd does the same)", source,
                    pathToken.line(), path);
            out.add(entry(path, "*", null, defaults, source, pathToken.line()));
        }
    }

    private static Entry entry(String path, String spec, String opts, ExportOptionParser.Builder defaults,
                               String source, int line) throws ExportsException {
        ClientSpec client;
        try {
            client = ClientSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new ExportsException(source, line, e.getMessage());
        }
        ExportOptionParser.Builder b = defaults.copy();
        applyOptions(opts, b, source, line);
        ExportRule rule = new ExportRule(client, b.build(), source + ":" + line);
        return new Entry(path, rule, b.mountpoint, b.capacity, source, line);
    }

    private static void applyOptions(String list, ExportOptionParser.Builder b, String source, int line)
            throws ExportsException {
        try {
            ExportOptionParser.apply(list, b);
        } catch (IllegalArgumentException e) {
            throw new ExportsException(source, line, e.getMessage());
        }
    }

    /** Applies {@code \ooo} octal escapes (bytes, then UTF-8); other backslashes stay as they are. */
    private static String decodePath(Token t, String source) throws ExportsException {
        String s = t.text();
        if (s.indexOf('\\') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && isOctal(s.charAt(i + 1)) && isOctal(s.charAt(i + 2))
                    && isOctal(s.charAt(i + 3))) {
                int v = (s.charAt(i + 1) - '0') * 64 + (s.charAt(i + 2) - '0') * 8 + (s.charAt(i + 3) - '0');
                if (v == 0 || v > 0377) {
                    throw new ExportsException(source, t.line(), "bad escape \"" + s.substring(i, i + 4)
                            + "\" in path: expected \\001 to \\377");
                }
                bytes.put((byte) v);
                i += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                bytes.put(s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw new ExportsException(source, t.line(), "path \"" + s + "\" is not valid UTF-8 after its "
                    + "\\ooo escapes");
        }
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    /** Absolute, no empty or "." components, no trailing slash except for "/"; ".." is an error. */
    static String normalizePath(String p, String source, int line) throws ExportsException {
        if (p.isEmpty()) {
            throw new ExportsException(source, line, "missing export path");
        }
        if (!p.startsWith("/")) {
            throw new ExportsException(source, line, "export path must be absolute: \"" + p + "\"");
        }
        if (p.indexOf('\0') >= 0) {
            throw new ExportsException(source, line, "export path contains a NUL character");
        }
        StringBuilder sb = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new ExportsException(source, line, "export path must not contain \"..\": \"" + p + "\"");
            }
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
