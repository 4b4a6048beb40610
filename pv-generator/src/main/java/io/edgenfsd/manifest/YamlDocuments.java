package io.edgenfsd.manifest;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads a multi-document YAML (or JSON) stream into {@link YNode} trees that keep line numbers. */
public final class YamlDocuments {
    private YamlDocuments() {
    }

    /** A syntax error, with the 1-based document and line where it was found. */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        public final int document;

        SyntaxError(int document, String message) {
            super(message);
            this.document = document;
        }
    }

    /** Parses every document; empty documents come back as null entries so numbering stays right. */
    public static List<YNode> read(Reader reader, String name) throws SyntaxError {
        LoadSettings settings = LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(false)
                .setParseComments(false).build();
        List<YNode> docs = new ArrayList<>();
        try {
            for (Node node : new Compose(settings).composeAllFromReader(reader)) {
                docs.add(node == null ? null : convert(node));
            }
        } catch (YamlEngineException e) {
            throw new SyntaxError(docs.size() + 1, e.getMessage().replace('\n', ' ').replaceAll(" +", " "));
        }
        return docs;
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static YNode convert(Node node) {
        if (node instanceof MappingNode) {
            LinkedHashMap<String, YNode> map = new LinkedHashMap<>();
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                Node k = t.getKeyNode();
                String key = k instanceof ScalarNode ? ((ScalarNode) k).getValue() : String.valueOf(k);
                map.put(key, convert(t.getValueNode()));
            }
            return YNode.map(line(node), map);
        }
        if (node instanceof SequenceNode) {
            List<YNode> list = new ArrayList<>();
            for (Node n : ((SequenceNode) node).getValue()) {
                list.add(convert(n));
            }
            return YNode.seq(line(node), list);
        }
        ScalarNode s = (ScalarNode) node;
        YNode.Type type = s.isPlain() ? YNode.resolvePlain(s.getValue()) : YNode.Type.STRING;
        return YNode.scalar(line(node), s.getValue(), type);
    }
}
