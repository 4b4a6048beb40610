package io.edgenfsd.manifest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/** Writes generated documents as multi-document YAML or as a JSON {@code v1 List}. */
public final class Emitter {
    private Emitter() {
    }

    /**
     * Strings that kubectl's YAML reader would take as something else (booleans such as {@code yes}/{@code on},
     * numbers, null) are double-quoted, so they stay strings. Multi-line strings (scripts) are literal blocks.
     */
    private static final class QuotingRepresenter extends StandardRepresenter {
        QuotingRepresenter(DumpSettings settings) {
            super(settings);
            this.representers.put(String.class, data -> {
                String s = (String) data;
                ScalarStyle style = s.contains("\n") && !s.contains("\t") && !s.contains(" \n")
                        ? ScalarStyle.LITERAL // scripts stay readable
                        : YNode.resolvePlain(s) == YNode.Type.STRING ? ScalarStyle.PLAIN : ScalarStyle.DOUBLE_QUOTED;
                return representScalar(Tag.STR, s, style);
            });
        }
    }

    public static String yaml(List<Map<String, Object>> docs) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
                .setIndent(2).setIndicatorIndent(0).setWidth(200).build();
        Dump dump = new Dump(settings, new QuotingRepresenter(settings));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                out.append("---\n");
            }
            out.append(dump.dumpToString(docs.get(i)));
        }
        return out.toString();
    }

    /** One document as itself, several as a {@code v1 List} that {@code kubectl apply -f -} accepts. */
    public static String json(List<Map<String, Object>> docs) {
        Object root;
        if (docs.size() == 1) {
            root = docs.get(0);
        } else {
            Map<String, Object> list = new LinkedHashMap<>();
            list.put("apiVersion", "v1");
            list.put("kind", "List");
            list.put("items", docs);
            root = list;
        }
        StringBuilder sb = new StringBuilder();
        writeJson(sb, root, 0);
        return sb.append('\n').toString();
    }

    private static void writeJson(StringBuilder sb, Object v, int indent) {
        if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                pad(sb, indent + 2);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                writeJson(sb, e.getValue(), indent + 2);
                sb.append(it.hasNext() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append('}');
        } else if (v instanceof List) {
            List<?> l = (List<?>) v;
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                pad(sb, indent + 2);
                writeJson(sb, l.get(i), indent + 2);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append(']');
        } else if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Number) {
            sb.append(v);
        } else {
            string(sb, v.toString());
        }
    }

    private static void pad(StringBuilder sb, int n) {
        sb.append(" ".repeat(n));
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
