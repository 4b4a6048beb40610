package io.edgenfsd.server;

import io.edgenfsd.export.Export;
import io.edgenfsd.export.ExportRule;
import io.edgenfsd.export.ExportTable;
import io.edgenfsd.state.StateView;
import io.edgenfsd.vfs.FileKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What `edge-nfsd status` shows: exports with their effective options, clients (address, owner, lease
 * left, grace and reclaim state), sessions, and the opens and locks on each file; as JSON or as tables.
 */
final class StatusReport {
    private StatusReport() {
    }

    /** The report as plain maps and lists (rendered as JSON by the manifest Emitter, or by {@link #table}). */
    static Map<String, Object> build(ExportTable exports, StateView state) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("grace", state.inGrace());
        List<Object> ex = new ArrayList<>();
        for (Export e : exports.exports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.path());
            m.put("id", e.id());
            m.put("capacity_bytes", e.capacity().isPresent() ? e.capacity().getAsLong() : null);
            List<Object> rules = new ArrayList<>();
            for (ExportRule r : e.rules()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("client", r.client().text());
                rm.put("options", r.options().toExportsString());
                rm.put("source", r.source());
                rules.add(rm);
            }
            m.put("rules", rules);
            ex.add(m);
        }
        doc.put("exports", ex);
        List<Object> clients = new ArrayList<>();
        for (StateView.ClientInfo c : state.clientInfo()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clientid", Long.toHexString(c.clientId()));
            m.put("owner", printable(c.ownerId()));
            m.put("principal", c.principal());
            m.put("addresses", c.addresses());
            m.put("confirmed", c.confirmed());
            m.put("lease_left_s", c.leaseLeftMillis() / 1000.0);
            m.put("reclaim", c.mayReclaim() ? "may reclaim (client of the previous run)" : "none");
            m.put("reclaim_complete", c.reclaimComplete());
            m.put("sessions", c.sessions());
            clients.add(m);
        }
        doc.put("clients", clients);
        List<Object> sessions = new ArrayList<>();
        for (StateView.SessionInfo s : state.sessionInfo()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessionid", s.id());
            m.put("clientid", Long.toHexString(s.clientId()));
            m.put("slots", s.slots());
            m.put("connections", s.connections());
            sessions.add(m);
        }
        doc.put("sessions", sessions);
        Map<FileKey, List<StateView.StateInfo>> byFile = new LinkedHashMap<>();
        for (StateView.StateInfo s : state.stateInfo()) {
            byFile.computeIfAbsent(s.file(), k -> new ArrayList<>()).add(s);
        }
        List<Object> files = new ArrayList<>();
        byFile.forEach((file, states) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dev", file.dev());
            m.put("inode", file.ino());
            List<Object> opens = new ArrayList<>();
            List<Object> locks = new ArrayList<>();
            for (StateView.StateInfo s : states) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("clientid", Long.toHexString(s.clientId()));
                if (s.kind().equals("open")) {
                    one.put("access", bits(s.access()));
                    one.put("deny", bits(s.deny()));
                    opens.add(one);
                } else {
                    one.put("type", s.write() ? "write" : "read");
                    one.put("start", Long.toUnsignedString(s.start()));
                    one.put("end", s.end() == -1 ? "EOF" : Long.toUnsignedString(s.end()));
                    locks.add(one);
                }
            }
            m.put("opens", opens);
            m.put("locks", locks);
            files.add(m);
        });
        doc.put("files", files);
        return doc;
    }

    private static String bits(int b) {
        return switch (b & 3) {
            case 0 -> "none";
            case 1 -> "read";
            case 2 -> "write";
            default -> "both";
        };
    }

    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(x >= 32 && x < 127 ? (char) x : '.');
        }
        return sb.toString();
    }

    /** The report as aligned text tables, one per section. */
    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> doc) {
        StringBuilder sb = new StringBuilder();
        sb.append("grace period: ").append((Boolean) doc.get("grace") ? "on" : "off").append("\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"EXPORT", "CLIENT", "OPTIONS", "SOURCE"});
        for (Object o : (List<Object>) doc.get("exports")) {
            Map<String, Object> e = (Map<String, Object>) o;
            for (Object r : (List<Object>) e.get("rules")) {
                Map<String, Object> rm = (Map<String, Object>) r;
                rows.add(new String[] {(String) e.get("path"), (String) rm.get("client"), (String) rm.get("options"),
                    (String) rm.get("source")});
            }
        }
        render(sb, rows);
        rows = new ArrayList<>();
        rows.add(new String[] {"CLIENTID", "ADDRESS", "OWNER", "PRINCIPAL", "LEASE LEFT", "SESSIONS", "RECLAIM"});
        for (Object o : (List<Object>) doc.get("clients")) {
            Map<String, Object> c = (Map<String, Object>) o;
            rows.add(new String[] {(String) c.get("clientid"), String.join(" ", (List<String>) c.get("addresses")),
                (String) c.get("owner"), (String) c.get("principal"), String.format("%.0f s", (Double) c.get("lease_left_s")),
                String.valueOf(c.get("sessions")), (String) c.get("reclaim")});
        }
        render(sb, rows);
        rows = new ArrayList<>();
        rows.add(new String[] {"SESSIONID", "CLIENTID", "SLOTS", "CONNECTIONS"});
        for (Object o : (List<Object>) doc.get("sessions")) {
            Map<String, Object> s = (Map<String, Object>) o;
            rows.add(new String[] {(String) s.get("sessionid"), (String) s.get("clientid"),
                String.valueOf(s.get("slots")), String.join(" ", (List<String>) s.get("connections"))});
        }
        render(sb, rows);
        rows = new ArrayList<>();
        rows.add(new String[] {"FILE (DEV:INODE)", "CLIENTID", "STATE"});
        for (Object o : (List<Object>) doc.get("files")) {
            Map<String, Object> f = (Map<String, Object>) o;
            String file = f.get("dev") + ":" + f.get("inode");
            for (Object x : (List<Object>) f.get("opens")) {
                Map<String, Object> m = (Map<String, Object>) x;
                rows.add(new String[] {file, (String) m.get("clientid"),
                    "open access=" + m.get("access") + " deny=" + m.get("deny")});
            }
            for (Object x : (List<Object>) f.get("locks")) {
                Map<String, Object> m = (Map<String, Object>) x;
                rows.add(new String[] {file, (String) m.get("clientid"),
                    m.get("type") + " lock " + m.get("start") + ".." + m.get("end")});
            }
        }
        render(sb, rows);
        return sb.toString();
    }

    private static void render(StringBuilder sb, List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i + 1 < r.length ? String.format("%-" + w[i] + "s  ", r[i]) : r[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        if (rows.size() == 1) {
            sb.append("(none)\n");
        }
        sb.append('\n');
    }
}
