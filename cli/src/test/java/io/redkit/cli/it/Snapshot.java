package io.redkit.cli.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A live server's whole dataset as canonical records, the same form as the fixtures' {@code
 * tools/snapshot.py} (one record per key, sorted by (db, key bytes)): {@code {"db", "key", "type",
 * "expire_ms", "value" [, "module_type"] [, "field_expire_ms"]}}, byte strings as JSON strings when
 * valid UTF-8 else {@code {"b64": ...}}, sets/hashes sorted by bytes, zsets by (score, member), streams
 * with entries, last id and groups. Only server commands are used (never a file parser); commands are
 * pipelined per batch of keys so 100k keys take seconds. Records are trees of Map/List/String/Long/
 * Double/null, equal to what {@link JsonScanner} parses from the JSON lines.
 */
public final class Snapshot {
    private static final int BATCH = 500;

    private Snapshot() {
    }

    /** The dataset of the server listening on 127.0.0.1:{@code port}. */
    public static List<Map<String, Object>> take(int port) throws IOException {
        try (RespClient c = new RespClient(port)) {
            return take(c);
        }
    }

    /** The dataset seen through {@code c} (which is left on db 0). */
    public static List<Map<String, Object>> take(RespClient c) throws IOException {
        int ndb;
        try {
            ndb = (int) RespClient.integer(((List<?>) c.call("CONFIG", "GET", "databases")).get(1));
        } catch (RespClient.RespError | IndexOutOfBoundsException e) {
            ndb = 16;
        }
        boolean hfe = hasCommand(c, "HPEXPIRETIME");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int db = 0; db < ndb; db++) {
            try {
                c.call("SELECT", db);
            } catch (RespClient.RespError e) {
                break; // cluster mode: db 0 only
            }
            if (RespClient.integer(c.call("DBSIZE")) == 0) {
                continue;
            }
            TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
            byte[] cursor = "0".getBytes(StandardCharsets.US_ASCII);
            do {
                List<?> r = (List<?>) c.call("SCAN", cursor, "COUNT", 1000);
                cursor = (byte[]) r.get(0);
                for (Object k : (List<?>) r.get(1)) {
                    keys.add((byte[]) k);
                }
            } while (!"0".equals(RespClient.text(cursor)));
            List<byte[]> batch = new ArrayList<>(BATCH);
            for (Iterator<byte[]> it = keys.iterator(); it.hasNext();) {
                batch.add(it.next());
                if (batch.size() == BATCH || !it.hasNext()) {
                    dumpBatch(c, db, batch, hfe, out);
                    batch.clear();
                }
            }
        }
        c.call("SELECT", 0);
        return out;
    }

    private static boolean hasCommand(RespClient c, String name) throws IOException {
        try {
            List<?> r = (List<?>) c.call("COMMAND", "INFO", name);
            return r != null && !r.isEmpty() && r.get(0) != null;
        } catch (RespClient.RespError e) {
            return false;
        }
    }

    private static void dumpBatch(RespClient c, int db, List<byte[]> keys, boolean hfe,
            List<Map<String, Object>> out) throws IOException {
        for (byte[] k : keys) {
            c.send("TYPE", k);
            c.send("PEXPIRETIME", k);
        }
        c.flush();
        String[] types = new String[keys.size()];
        long[] exp = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            types[i] = RespClient.text(c.read());
            exp[i] = RespClient.integer(c.read());
        }
        // one pipelined value command per plain key; streams and hash field TTLs are fetched one by one
        for (int i = 0; i < keys.size(); i++) {
            byte[] k = keys.get(i);
            switch (types[i]) {
                case "string":
                    c.send("GET", k);
                    break;
                case "list":
                    c.send("LRANGE", k, 0, -1);
                    break;
                case "set":
                    c.send("SMEMBERS", k);
                    break;
                case "zset":
                    c.send("ZRANGE", k, 0, -1, "WITHSCORES");
                    break;
                case "hash":
                    c.send("HGETALL", k);
                    break;
                default:
                    break;
            }
        }
        c.flush();
        Object[] replies = new Object[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            switch (types[i]) {
                case "string": case "list": case "set": case "zset": case "hash":
                    replies[i] = c.read();
                    break;
                default:
                    break;
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            String t = types[i];
            if (t.equals("none")) {
                continue; // expired or deleted meanwhile
            }
            byte[] k = keys.get(i);
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("db", (long) db);
            rec.put("key", s(k));
            rec.put("type", t);
            rec.put("expire_ms", exp[i] >= 0 ? exp[i] : null);
            switch (t) {
                case "string":
                    rec.put("value", s((byte[]) replies[i]));
                    break;
                case "list": {
                    List<Object> v = new ArrayList<>();
                    for (Object x : (List<?>) replies[i]) {
                        v.add(s((byte[]) x));
                    }
                    rec.put("value", v);
                    break;
                }
                case "set": {
                    List<byte[]> m = bytesList(replies[i]);
                    m.sort(Arrays::compareUnsigned);
                    List<Object> v = new ArrayList<>();
                    for (byte[] x : m) {
                        v.add(s(x));
                    }
                    rec.put("value", v);
                    break;
                }
                case "zset":
                    rec.put("value", zset(bytesList(replies[i])));
                    break;
                case "hash":
                    hash(c, k, bytesList(replies[i]), hfe, rec);
                    break;
                case "stream":
                    rec.put("value", stream(c, k));
                    break;
                default:
                    rec.put("type", "module");
                    rec.put("value", null);
                    rec.put("module_type", t);
                    break;
            }
            out.add(rec);
        }
    }

    private static List<Object> zset(List<byte[]> flat) {
        List<Object[]> items = new ArrayList<>();
        for (int j = 0; j < flat.size(); j += 2) {
            byte[] member = flat.get(j);
            String sc = RespClient.text(flat.get(j + 1)).toLowerCase(java.util.Locale.ROOT);
            double d = sc.equals("inf") || sc.equals("+inf") ? Double.POSITIVE_INFINITY
                    : sc.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(sc);
            items.add(new Object[] {d, member});
        }
        // numeric order as Python compares floats: -0.0 equals 0.0, ties broken by member bytes
        Comparator<Object[]> byScore = (x, y) -> {
            double a = (Double) x[0];
            double b = (Double) y[0];
            return a < b ? -1 : a > b ? 1 : 0;
        };
        items.sort(byScore.thenComparing(it -> (byte[]) it[1], Arrays::compareUnsigned));
        List<Object> v = new ArrayList<>();
        for (Object[] it : items) {
            v.add(List.of(s((byte[]) it[1]), score((Double) it[0])));
        }
        return v;
    }

    /** A zset score as the canonical form writes it: "inf"/"-inf", else a normalized JSON number. */
    public static Object score(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return JsonScanner.normalizeDouble(d);
    }

    private static void hash(RespClient c, byte[] k, List<byte[]> flat, boolean hfe, Map<String, Object> rec)
            throws IOException {
        List<byte[][]> items = new ArrayList<>();
        for (int j = 0; j < flat.size(); j += 2) {
            items.add(new byte[][] {flat.get(j), flat.get(j + 1)});
        }
        items.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
        List<Object> v = new ArrayList<>();
        for (byte[][] it : items) {
            v.add(List.of(s(it[0]), s(it[1])));
        }
        rec.put("value", v);
        if (hfe && !items.isEmpty()) {
            Object[] args = new Object[4 + items.size()];
            args[0] = "HPEXPIRETIME";
            args[1] = k;
            args[2] = "FIELDS";
            args[3] = items.size();
            for (int j = 0; j < items.size(); j++) {
                args[4 + j] = items.get(j)[0];
            }
            List<?> ttl = (List<?>) c.call(args);
            List<Object> fe = new ArrayList<>();
            for (int j = 0; j < items.size(); j++) {
                long ms = RespClient.integer(ttl.get(j));
                if (ms >= 0) {
                    fe.add(List.of(s(items.get(j)[0]), ms));
                }
            }
            if (!fe.isEmpty()) {
                rec.put("field_expire_ms", fe);
            }
        }
    }

    private static Map<String, Object> stream(RespClient c, byte[] k) throws IOException {
        List<Object> entries = new ArrayList<>();
        for (Object e : (List<?>) c.call("XRANGE", k, "-", "+")) {
            List<?> pair = (List<?>) e;
            List<byte[]> fields = bytesList(pair.get(1));
            List<Object> fv = new ArrayList<>();
            for (int j = 0; j < fields.size(); j += 2) {
                fv.add(List.of(s(fields.get(j)), s(fields.get(j + 1))));
            }
            entries.add(List.of(RespClient.text(pair.get(0)), fv));
        }
        Map<String, Object> info = infoMap(c.call("XINFO", "STREAM", k));
        List<Object[]> groups = new ArrayList<>();
        for (Object g : (List<?>) c.call("XINFO", "GROUPS", k)) {
            Map<String, Object> gi = infoMap(g);
            byte[] name = (byte[]) gi.get("name");
            List<Object[]> consumers = new ArrayList<>();
            for (Object cons : (List<?>) c.call("XINFO", "CONSUMERS", k, name)) {
                Map<String, Object> ci = infoMap(cons);
                consumers.add(new Object[] {ci.get("name"), RespClient.integer(ci.get("pending"))});
            }
            consumers.sort((a, b) -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]));
            long pending = RespClient.integer(gi.get("pending"));
            List<?> summary = (List<?>) c.call("XPENDING", k, name);
            if (RespClient.integer(summary.get(0)) != pending) {
                throw new IllegalStateException("XPENDING/XINFO mismatch on group " + RespClient.text(name));
            }
            Map<String, Long> per = new HashMap<>();
            if (summary.get(3) != null) {
                for (Object pc : (List<?>) summary.get(3)) {
                    List<?> p = (List<?>) pc;
                    per.put(RespClient.text(p.get(0)), RespClient.integer(p.get(1)));
                }
            }
            List<Object> cl = new ArrayList<>();
            for (Object[] cn : consumers) {
                long p = (Long) cn[1];
                if (per.getOrDefault(RespClient.text(cn[0]), 0L) != p) {
                    throw new IllegalStateException("consumer pending mismatch on group " + RespClient.text(name));
                }
                cl.add(List.of(s((byte[]) cn[0]), p));
            }
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", s(name));
            gm.put("last_id", RespClient.text(gi.get("last-delivered-id")));
            gm.put("pending", pending);
            gm.put("consumers", cl);
            groups.add(new Object[] {name, gm});
        }
        groups.sort((a, b) -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]));
        List<Object> gl = new ArrayList<>();
        for (Object[] g : groups) {
            gl.add(g[1]);
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("entries", entries);
        v.put("last_id", RespClient.text(info.get("last-generated-id")));
        v.put("groups", gl);
        return v;
    }

    /** The function libraries of the server (FUNCTION LIST WITHCODE), like snapshot.py's {@code functions()}. */
    public static List<Object> functions(RespClient c) throws IOException {
        List<?> libs;
        try {
            libs = (List<?>) c.call("FUNCTION", "LIST", "WITHCODE");
        } catch (RespClient.RespError e) {
            return List.of();
        }
        List<Object[]> res = new ArrayList<>();
        for (Object lib : libs) {
            Map<String, Object> m = infoMap(lib);
            List<byte[]> names = new ArrayList<>();
            for (Object f : (List<?>) m.get("functions")) {
                names.add((byte[]) infoMap(f).get("name"));
            }
            names.sort(Arrays::compareUnsigned);
            List<Object> fn = new ArrayList<>();
            for (byte[] n : names) {
                fn.add(s(n));
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("library_name", s((byte[]) m.get("library_name")));
            d.put("engine", s((byte[]) m.get("engine")));
            d.put("functions", fn);
            d.put("code", s((byte[]) m.get("library_code")));
            res.add(new Object[] {m.get("library_name"), d});
        }
        res.sort((a, b) -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]));
        List<Object> out = new ArrayList<>();
        for (Object[] r : res) {
            out.add(r[1]);
        }
        return out;
    }

    private static Map<String, Object> infoMap(Object flat) {
        List<?> l = (List<?>) flat;
        Map<String, Object> m = new LinkedHashMap<>();
        for (int j = 0; j + 1 < l.size(); j += 2) {
            m.put(RespClient.text(l.get(j)), l.get(j + 1));
        }
        return m;
    }

    private static List<byte[]> bytesList(Object reply) {
        List<byte[]> l = new ArrayList<>();
        for (Object o : (List<?>) reply) {
            l.add((byte[]) o);
        }
        return l;
    }

    /** A byte string in canonical form: a String when valid UTF-8, else {@code {"b64": ...}}. */
    public static Object s(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("b64", Base64.getEncoder().encodeToString(b));
            return m;
        }
    }

    /** The bytes of a canonical byte string (the inverse of {@link #s}). */
    public static byte[] bytes(Object canonical) {
        if (canonical instanceof String) {
            return ((String) canonical).getBytes(StandardCharsets.UTF_8);
        }
        return Base64.getDecoder().decode((String) ((Map<?, ?>) canonical).get("b64"));
    }

    /** The records as JSON lines (the canonical text, one record per line). */
    public static String toJsonl(List<? extends Object> records) {
        StringBuilder sb = new StringBuilder();
        for (Object r : records) {
            writeJson(r, sb);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Appends a tree (Map/List/String/Number/Boolean/null) as JSON, with Python's default separators. */
    public static void writeJson(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            quote((String) v, sb);
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                quote(String.valueOf(e.getKey()), sb);
                sb.append(": ");
                writeJson(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object x : (List<?>) v) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                writeJson(x, sb);
            }
            sb.append(']');
        } else if (v instanceof Double) {
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not representable in JSON: " + d);
            }
            sb.append(d);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            throw new IllegalArgumentException("not a JSON tree value: " + v.getClass());
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        sb.append('"');
    }

    /**
     * Null when both datasets are equal as JSON values, else a readable report: the record counts and
     * up to {@code maxShown} differing keys with both sides' lines (cut to 400 characters).
     */
    public static String diff(List<?> expected, List<?> actual, int maxShown) {
        if (expected.equals(actual)) {
            return null;
        }
        Map<String, Object> e = byKey(expected);
        Map<String, Object> a = byKey(actual);
        StringBuilder sb = new StringBuilder();
        sb.append("datasets differ: expected ").append(expected.size()).append(" keys, actual ")
                .append(actual.size()).append('\n');
        int shown = 0;
        TreeSet<String> all = new TreeSet<>(e.keySet());
        all.addAll(a.keySet());
        int differing = 0;
        for (String k : all) {
            Object x = e.get(k);
            Object y = a.get(k);
            if (Objects.equals(x, y)) {
                continue;
            }
            differing++;
            if (shown++ < maxShown) {
                sb.append("  key ").append(k).append(":\n    expected: ").append(line(x))
                        .append("\n    actual:   ").append(line(y)).append('\n');
                if (x != null && y != null) {
                    sb.append("    first difference: ").append(firstDifference(x, y, "")).append('\n');
                }
            }
        }
        if (differing == 0) {
            sb.append("  (same records in a different order)\n");
        } else if (differing > maxShown) {
            sb.append("  ... ").append(differing - maxShown).append(" more differing keys\n");
        }
        return sb.toString();
    }

    /** Where two trees first differ, as a path ({@code value/entries[3][1]}) with both sides. */
    static String firstDifference(Object x, Object y, String path) {
        if (x instanceof Map && y instanceof Map) {
            Map<?, ?> a = (Map<?, ?>) x;
            Map<?, ?> b = (Map<?, ?>) y;
            TreeSet<String> names = new TreeSet<>();
            a.keySet().forEach(n -> names.add(String.valueOf(n)));
            b.keySet().forEach(n -> names.add(String.valueOf(n)));
            for (String n : names) {
                if (!Objects.equals(a.get(n), b.get(n))) {
                    if (!a.containsKey(n) || !b.containsKey(n)) {
                        return path + "/" + n + ": present only in " + (a.containsKey(n) ? "expected" : "actual");
                    }
                    return firstDifference(a.get(n), b.get(n), path + "/" + n);
                }
            }
        } else if (x instanceof List && y instanceof List) {
            List<?> a = (List<?>) x;
            List<?> b = (List<?>) y;
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (!Objects.equals(a.get(i), b.get(i))) {
                    return firstDifference(a.get(i), b.get(i), path + "[" + i + "]");
                }
            }
            if (a.size() != b.size()) {
                return path + ": " + a.size() + " elements expected, " + b.size() + " actual";
            }
        }
        return (path.isEmpty() ? "/" : path) + ": expected " + line(x) + ", actual " + line(y);
    }

    private static Map<String, Object> byKey(List<?> records) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Object r : records) {
            Map<?, ?> rec = (Map<?, ?>) r;
            StringBuilder id = new StringBuilder();
            id.append(rec.get("db")).append('/');
            writeJson(rec.get("key"), id);
            m.put(id.toString(), r);
        }
        return m;
    }

    private static String line(Object rec) {
        if (rec == null) {
            return "(absent)";
        }
        StringBuilder sb = new StringBuilder();
        writeJson(rec, sb);
        return sb.length() > 400 ? sb.substring(0, 400) + "..." : sb.toString();
    }
}
