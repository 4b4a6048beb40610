package io.edgenfsd.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A YAML node as kubectl reads it (scalars resolved with YAML 1.1 rules, so a plain {@code yes} is a
 * boolean), with the line it came from.
 */
public final class YNode {
    public enum Kind { MAP, SEQ, SCALAR }

    /** Resolved type of a scalar. */
    public enum Type { STRING, BOOL, INT, FLOAT, NULL }

    private static final Pattern BOOL = Pattern.compile(
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern INT = Pattern.compile(
            "[-+]?(0|[1-9][0-9_]*)|[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
                    + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*");

    public final Kind kind;
    public final int line;
    private final Map<String, YNode> map;
    private final List<YNode> seq;
    private final String text;
    private final Type type;

    private YNode(Kind kind, int line, Map<String, YNode> map, List<YNode> seq, String text, Type type) {
        this.kind = kind;
        this.line = line;
        this.map = map;
        this.seq = seq;
        this.text = text;
        this.type = type;
    }

    static YNode map(int line, LinkedHashMap<String, YNode> map) {
        return new YNode(Kind.MAP, line, map, null, null, null);
    }

    static YNode seq(int line, List<YNode> seq) {
        return new YNode(Kind.SEQ, line, null, seq, null, null);
    }

    static YNode scalar(int line, String text, Type type) {
        return new YNode(Kind.SCALAR, line, null, null, text, type);
    }

    /** The type a plain (unquoted) scalar gets when kubectl reads it. */
    public static Type resolvePlain(String text) {
        if (NULL.matcher(text).matches()) {
            return Type.NULL;
        }
        if (BOOL.matcher(text).matches()) {
            return Type.BOOL;
        }
        if (INT.matcher(text).matches()) {
            return Type.INT;
        }
        if (FLOAT.matcher(text).matches()) {
            return Type.FLOAT;
        }
        return Type.STRING;
    }

    public Map<String, YNode> map() {
        return map == null ? Collections.emptyMap() : map;
    }

    public List<YNode> seq() {
        return seq == null ? Collections.emptyList() : seq;
    }

    public String text() {
        return text;
    }

    public Type type() {
        return type;
    }

    public boolean isString() {
        return kind == Kind.SCALAR && type == Type.STRING;
    }

    public boolean isNull() {
        return kind == Kind.SCALAR && type == Type.NULL;
    }

    public YNode get(String key) {
        return map().get(key);
    }

    /** What this node is, for messages: "mapping", "list", "string", "boolean", ... */
    public String describe() {
        switch (kind) {
            case MAP: return "mapping";
            case SEQ: return "list";
            default:
                switch (type) {
                    case BOOL: return "boolean (" + text + ")";
                    case INT: return "integer (" + text + ")";
                    case FLOAT: return "number (" + text + ")";
                    case NULL: return "null";
                    default: return "string";
                }
        }
    }
}
