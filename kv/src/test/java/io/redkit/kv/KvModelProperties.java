package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.EventSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random command sequences over a few keys, two databases and a manual clock, applied to the engine and to a
 * plain reference model (Java collections): every reply agrees, and so does the final snapshot.
 */
class KvModelProperties {
    private static final String[] KEYS = {"a", "b", "c"};
    private static final String[] VALS = {"x", "y", "1", "-2", "10"};

    /** One step: a command for a db, or (db -1) moving the clock by ms. */
    record Op(int db, String cmd) {
        @Override
        public String toString() {
            return db < 0 ? "advance " + cmd : db + ": " + cmd;
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<String> k = Arbitraries.of(KEYS);
        Arbitrary<String> v = Arbitraries.of(VALS);
        Arbitrary<Integer> n = Arbitraries.integers().between(-3, 3);
        Arbitrary<String> cmd = Arbitraries.oneOf(List.of(
                Combinators.combine(k, v).as((a, b) -> "SET " + a + " " + b),
                k.map(a -> "GET " + a), k.map(a -> "DEL " + a), k.map(a -> "EXISTS " + a), k.map(a -> "TYPE " + a),
                Combinators.combine(k, v).as((a, b) -> "APPEND " + a + " " + b), k.map(a -> "INCR " + a),
                k.map(a -> "STRLEN " + a),
                Combinators.combine(k, v).as((a, b) -> "LPUSH " + a + " " + b),
                Combinators.combine(k, v).as((a, b) -> "RPUSH " + a + " " + b),
                k.map(a -> "LPOP " + a), k.map(a -> "RPOP " + a), k.map(a -> "LLEN " + a),
                k.map(a -> "LRANGE " + a + " 0 -1"), Combinators.combine(k, n).as((a, i) -> "LINDEX " + a + " " + i),
                Combinators.combine(k, v, v).as((a, f, x) -> "HSET " + a + " " + f + " " + x),
                Combinators.combine(k, v).as((a, f) -> "HGET " + a + " " + f),
                Combinators.combine(k, v).as((a, f) -> "HDEL " + a + " " + f), k.map(a -> "HLEN " + a),
                Combinators.combine(k, v).as((a, m) -> "SADD " + a + " " + m),
                Combinators.combine(k, v).as((a, m) -> "SREM " + a + " " + m), k.map(a -> "SCARD " + a),
                Combinators.combine(k, v).as((a, m) -> "SISMEMBER " + a + " " + m),
                Combinators.combine(k, n, v).as((a, s, m) -> "ZADD " + a + " " + s + " " + m),
                Combinators.combine(k, v).as((a, m) -> "ZREM " + a + " " + m),
                Combinators.combine(k, v).as((a, m) -> "ZSCORE " + a + " " + m), k.map(a -> "ZCARD " + a),
                k.map(a -> "ZRANGE " + a + " 0 -1 WITHSCORES"),
                Combinators.combine(k, k).as((a, b) -> "RENAME " + a + " " + b),
                Combinators.combine(k, Arbitraries.integers().between(1, 5)).as((a, s) -> "EXPIRE " + a + " " + s),
                k.map(a -> "TTL " + a), k.map(a -> "PERSIST " + a)));
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Combinators.combine(Arbitraries.integers().between(0, 1), cmd).as(Op::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3000).map(ms -> new Op(-1, "" + ms))));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void engineAgreesWithModel(@ForAll("ops") List<Op> ops) throws IOException {
        ManualClock clock = new ManualClock(1_000_000);
        KvEngine engine = new KvEngine(clock, 4);
        Model model = new Model(clock);
        for (Op op : ops) {
            if (op.db() < 0) {
                clock.advance(Long.parseLong(op.cmd()));
                continue;
            }
            String want = model.run(op.db(), op.cmd());
            String got = Kv.run(engine, op.db(), op.cmd());
            assertEquals(want, got, "after " + ops.subList(0, ops.indexOf(op) + 1));
        }
        assertEquals(model.dump(), dump(engine.snapshot()), "snapshot");
    }

    /** A snapshot as "db key type value ttl" lines, collections canonical. */
    static String dump(EventSource src) throws IOException {
        TreeSet<String> lines = new TreeSet<>();
        Event e;
        StringBuilder cur = null;
        List<String> items = new ArrayList<>();
        boolean ordered = false;
        while ((e = src.next()) != null) {
            switch (e.kind()) {
                case KEY_START -> {
                    var h = ((KeyStart) e).header();
                    cur = new StringBuilder(h.db() + " " + s(h.key()) + " " + h.type().id() + " ttl="
                            + (h.expireAtMs() >= 0) + " ");
                    items.clear();
                    ordered = h.type() == io.redkit.core.event.DataType.LIST
                            || h.type() == io.redkit.core.event.DataType.STRING;
                }
                case STRING_PART -> items.add(s(((StringPart) e).data()));
                case ELEMENTS -> ((Elements) e).items().forEach(b -> items.add(s(b)));
                case HASH_FIELDS -> {
                    for (HashField f : ((HashFields) e).fields()) {
                        items.add(s(f.field()) + "=" + s(f.value()));
                    }
                }
                case ZSET_MEMBERS -> {
                    for (ScoredMember m : ((ZSetMembers) e).members()) {
                        items.add(s(m.member()) + "=" + Floats.format(m.score()));
                    }
                }
                case KEY_END -> {
                    List<String> v = new ArrayList<>(items);
                    if (!ordered) {
                        v.sort(null);
                    }
                    lines.add(cur + String.join(",", v));
                }
                default -> {
                }
            }
        }
        return String.join("\n", lines);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The reference: per db a map of key to String, LinkedList, TreeMap (hash), TreeSet, or ZSet map; TTLs aside. */
    static final class Model {
        final ManualClock clock;
        final List<Map<String, Object>> dbs = List.of(new TreeMap<>(), new TreeMap<>());
        final List<Map<String, Long>> ttls = List.of(new TreeMap<>(), new TreeMap<>());

        Model(ManualClock clock) {
            this.clock = clock;
        }

        /** Marker type for sorted sets: member to score. */
        static final class ZSet extends TreeMap<String, Double> {
            private static final long serialVersionUID = 1L;
        }

        private Object get(int db, String k) {
            Long t = ttls.get(db).get(k);
            if (t != null && t <= clock.nowMs()) {
                dbs.get(db).remove(k);
                ttls.get(db).remove(k);
            }
            return dbs.get(db).get(k);
        }

        private static final String WRONG = "-WRONGTYPE Operation against a key holding the wrong kind of value";

        private static String bulk(String s) {
            return s == null ? "(nil)" : "\"" + s + "\"";
        }

        @SuppressWarnings("unchecked")
        String run(int db, String cmd) {
            String[] a = cmd.split(" ");
            Map<String, Object> m = dbs.get(db);
            String k = a[1];
            Object v = get(db, k);
            switch (a[0]) {
                case "SET":
                    m.put(k, a[2]);
                    ttls.get(db).remove(k);
                    return "+OK";
                case "GET":
                    return v == null ? "(nil)" : v instanceof String s ? bulk(s) : WRONG;
                case "DEL":
                    ttls.get(db).remove(k);
                    return m.remove(k) != null ? ":1" : ":0";
                case "EXISTS":
                    return v != null ? ":1" : ":0";
                case "TYPE":
                    return "+" + (v == null ? "none" : v instanceof String ? "string" : v instanceof LinkedList
                            ? "list" : v instanceof ZSet ? "zset" : v instanceof TreeMap ? "hash" : "set");
                case "APPEND":
                    if (v != null && !(v instanceof String)) {
                        return WRONG;
                    }
                    m.put(k, (v == null ? "" : (String) v) + a[2]);
                    return ":" + ((String) m.get(k)).length();
                case "INCR": {
                    if (v != null && !(v instanceof String)) {
                        return WRONG;
                    }
                    long n;
                    try {
                        n = v == null ? 0 : Long.parseLong((String) v);
                    } catch (NumberFormatException ex) {
                        return "-ERR value is not an integer or out of range";
                    }
                    m.put(k, Long.toString(n + 1));
                    return ":" + (n + 1);
                }
                case "STRLEN":
                    return v == null ? ":0" : v instanceof String s ? ":" + s.length() : WRONG;
                case "LPUSH":
                case "RPUSH": {
                    if (v != null && !(v instanceof LinkedList)) {
                        return WRONG;
                    }
                    LinkedList<String> l = v == null ? new LinkedList<>() : (LinkedList<String>) v;
                    m.put(k, l);
                    if (a[0].equals("LPUSH")) {
                        l.addFirst(a[2]);
                    } else {
                        l.addLast(a[2]);
                    }
                    return ":" + l.size();
                }
                case "LPOP":
                case "RPOP": {
                    if (v == null) {
                        return "(nil)";
                    }
                    if (!(v instanceof LinkedList)) {
                        return WRONG;
                    }
                    LinkedList<String> l = (LinkedList<String>) v;
                    String r = a[0].equals("LPOP") ? l.removeFirst() : l.removeLast();
                    emptyCheck(db, k);
                    return bulk(r);
                }
                case "LLEN":
                    return v == null ? ":0" : v instanceof LinkedList<?> l ? ":" + l.size() : WRONG;
                case "LRANGE": {
                    if (v == null) {
                        return "[]";
                    }
                    if (!(v instanceof LinkedList)) {
                        return WRONG;
                    }
                    List<String> out = new ArrayList<>();
                    for (String s : (LinkedList<String>) v) {
                        out.add(bulk(s));
                    }
                    return "[" + String.join(", ", out) + "]";
                }
                case "LINDEX": {
                    if (v == null) {
                        return "(nil)";
                    }
                    if (!(v instanceof LinkedList)) {
                        return WRONG;
                    }
                    LinkedList<String> l = (LinkedList<String>) v;
                    int i = Integer.parseInt(a[2]);
                    if (i < 0) {
                        i += l.size();
                    }
                    return i < 0 || i >= l.size() ? "(nil)" : bulk(l.get(i));
                }
                case "HSET": {
                    if (v != null && (!(v instanceof TreeMap) || v instanceof ZSet)) {
                        return WRONG;
                    }
                    TreeMap<String, String> h = v == null ? new TreeMap<>() : (TreeMap<String, String>) v;
                    m.put(k, h);
                    return h.put(a[2], a[3]) == null ? ":1" : ":0";
                }
                case "HGET":
                    if (v == null) {
                        return "(nil)";
                    }
                    return !(v instanceof TreeMap) || v instanceof ZSet ? WRONG : bulk(((TreeMap<String, String>) v).get(a[2]));
                case "HDEL": {
                    if (v == null) {
                        return ":0";
                    }
                    if (!(v instanceof TreeMap) || v instanceof ZSet) {
                        return WRONG;
                    }
                    boolean r = ((TreeMap<String, String>) v).remove(a[2]) != null;
                    emptyCheck(db, k);
                    return r ? ":1" : ":0";
                }
                case "HLEN":
                    return v == null ? ":0" : !(v instanceof TreeMap) || v instanceof ZSet ? WRONG
                            : ":" + ((TreeMap<?, ?>) v).size();
                case "SADD": {
                    if (v != null && !(v instanceof TreeSet)) {
                        return WRONG;
                    }
                    TreeSet<String> s = v == null ? new TreeSet<>() : (TreeSet<String>) v;
                    m.put(k, s);
                    return s.add(a[2]) ? ":1" : ":0";
                }
                case "SREM": {
                    if (v == null) {
                        return ":0";
                    }
                    if (!(v instanceof TreeSet)) {
                        return WRONG;
                    }
                    boolean r = ((TreeSet<String>) v).remove(a[2]);
                    emptyCheck(db, k);
                    return r ? ":1" : ":0";
                }
                case "SCARD":
                    return v == null ? ":0" : v instanceof TreeSet<?> s ? ":" + s.size() : WRONG;
                case "SISMEMBER":
                    return v == null ? ":0" : v instanceof TreeSet<?> s ? (s.contains(a[2]) ? ":1" : ":0") : WRONG;
                case "ZADD": {
                    if (v != null && !(v instanceof ZSet)) {
                        return WRONG;
                    }
                    ZSet z = v == null ? new ZSet() : (ZSet) v;
                    m.put(k, z);
                    return z.put(a[3], Double.parseDouble(a[2])) == null ? ":1" : ":0";
                }
                case "ZREM": {
                    if (v == null) {
                        return ":0";
                    }
                    if (!(v instanceof ZSet)) {
                        return WRONG;
                    }
                    boolean r = ((ZSet) v).remove(a[2]) != null;
                    emptyCheck(db, k);
                    return r ? ":1" : ":0";
                }
                case "ZSCORE": {
                    if (v == null) {
                        return "(nil)";
                    }
                    if (!(v instanceof ZSet)) {
                        return WRONG;
                    }
                    Double d = ((ZSet) v).get(a[2]);
                    return d == null ? "(nil)" : bulk(Floats.format(d));
                }
                case "ZCARD":
                    return v == null ? ":0" : v instanceof ZSet z ? ":" + z.size() : WRONG;
                case "ZRANGE": {
                    if (v == null) {
                        return "[]";
                    }
                    if (!(v instanceof ZSet)) {
                        return WRONG;
                    }
                    List<Map.Entry<String, Double>> es = new ArrayList<>(((ZSet) v).entrySet());
                    es.sort((x, y) -> x.getValue().equals(y.getValue()) ? x.getKey().compareTo(y.getKey())
                            : Double.compare(x.getValue(), y.getValue()));
                    List<String> out = new ArrayList<>();
                    for (Map.Entry<String, Double> en : es) {
                        out.add(bulk(en.getKey()));
                        out.add(bulk(Floats.format(en.getValue())));
                    }
                    return "[" + String.join(", ", out) + "]";
                }
                case "RENAME": {
                    if (v == null) {
                        return "-ERR no such key";
                    }
                    String dst = a[2];
                    if (dst.equals(k)) {
                        return "+OK";
                    }
                    Long t = ttls.get(db).remove(k);
                    m.remove(k);
                    m.put(dst, v);
                    ttls.get(db).remove(dst);
                    if (t != null) {
                        ttls.get(db).put(dst, t);
                    }
                    return "+OK";
                }
                case "EXPIRE":
                    if (v == null) {
                        return ":0";
                    }
                    ttls.get(db).put(k, clock.nowMs() + Long.parseLong(a[2]) * 1000);
                    return ":1";
                case "TTL": {
                    if (v == null) {
                        return ":-2";
                    }
                    Long t = ttls.get(db).get(k);
                    return t == null ? ":-1" : ":" + (t - clock.nowMs() + 500) / 1000;
                }
                case "PERSIST":
                    return v != null && ttls.get(db).remove(k) != null ? ":1" : ":0";
                default:
                    throw new IllegalArgumentException(cmd);
            }
        }

        private void emptyCheck(int db, String k) {
            Object v = dbs.get(db).get(k);
            if (v instanceof java.util.Collection<?> c && c.isEmpty() || v instanceof Map<?, ?> mm && mm.isEmpty()) {
                dbs.get(db).remove(k);
                ttls.get(db).remove(k);
            }
        }

        @SuppressWarnings("unchecked")
        String dump() {
            TreeSet<String> lines = new TreeSet<>();
            for (int db = 0; db < dbs.size(); db++) {
                for (String k : new ArrayList<>(dbs.get(db).keySet())) {
                    Object v = get(db, k);
                    if (v == null) {
                        continue;
                    }
                    String type;
                    List<String> items = new ArrayList<>();
                    if (v instanceof String s) {
                        type = "string";
                        items.add(s);
                    } else if (v instanceof LinkedList) {
                        type = "list";
                        items.addAll((LinkedList<String>) v);
                    } else if (v instanceof ZSet z) {
                        type = "zset";
                        z.forEach((mem, sc) -> items.add(mem + "=" + Floats.format(sc)));
                        items.sort(null);
                    } else if (v instanceof TreeMap) {
                        type = "hash";
                        ((TreeMap<String, String>) v).forEach((f, x) -> items.add(f + "=" + x));
                        items.sort(null);
                    } else {
                        type = "set";
                        items.addAll((TreeSet<String>) v);
                        items.sort(null);
                    }
                    lines.add(db + " " + k + " " + type + " ttl=" + ttls.get(db).containsKey(k) + " "
                            + String.join(",", items));
                }
            }
            return String.join("\n", lines);
        }
    }
}
