package io.redkit.diff;

import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Elements;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.rdb.writer.RdbWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random datasets written twice as RDB files, the second with random changes, its keys and collection
 * contents in another order and its values cut into other chunks; the diff, under a random (often tiny)
 * memory budget, must report exactly the changed keys with exactly the kinds of change.
 */
class DifferProperties {
    private final Path tmp;

    DifferProperties() throws IOException {
        tmp = Files.createTempDirectory("diff-props");
    }

    @AfterProperty
    void cleanUp() throws IOException {
        try (var files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(tmp);
    }

    /** One key of the model: type and value as plain Java data, and its expiry. */
    private static final class Key {
        final int db;
        final byte[] name;
        DataType type;
        long expire;
        byte[] string;
        List<byte[]> items = new ArrayList<>();
        Map<String, byte[]> fields = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();

        Key(int db, byte[] name) {
            this.db = db;
            this.name = name;
        }

        Key copy() {
            Key k = new Key(db, name);
            k.type = type;
            k.expire = expire;
            k.string = string;
            k.items = new ArrayList<>(items);
            k.fields = new LinkedHashMap<>(fields);
            k.scores = new LinkedHashMap<>(scores);
            return k;
        }
    }

    private static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    private static String member(Random r) {
        return "m" + r.nextInt(1000);
    }

    private static Key randomKey(Random r, int db, byte[] name) {
        Key k = new Key(db, name);
        k.type = List.of(DataType.STRING, DataType.LIST, DataType.SET, DataType.HASH, DataType.ZSET).get(r.nextInt(5));
        k.expire = r.nextInt(3) == 0 ? 2_000_000_000_000L + r.nextInt(1_000_000) : -1;
        int n = 1 + r.nextInt(r.nextInt(10) == 0 ? 300 : 8);
        switch (k.type) {
            case STRING -> k.string = bytes(r, r.nextInt(10) == 0 ? 5000 : 20);
            case LIST -> {
                for (int i = 0; i < n; i++) {
                    k.items.add(bytes(r, 12));
                }
            }
            case SET -> {
                for (int i = 0; i < n; i++) {
                    k.fields.put(member(r), new byte[0]);
                }
            }
            case HASH -> {
                for (int i = 0; i < n; i++) {
                    k.fields.put(member(r), bytes(r, 10));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    k.scores.put(member(r), r.nextInt(5) == 0 ? r.nextGaussian() * 1e6 : r.nextInt(100));
                }
            }
        }
        return k;
    }

    /** Changes the value so that it really differs. */
    private static void changeValue(Random r, Key k) {
        switch (k.type) {
            case STRING -> {
                byte[] v = java.util.Arrays.copyOf(k.string, k.string.length + 1);
                v[v.length - 1] = (byte) r.nextInt();
                k.string = v;
            }
            case LIST -> {
                int i = r.nextInt(k.items.size());
                byte[] v = java.util.Arrays.copyOf(k.items.get(i), k.items.get(i).length + 1);
                k.items.set(i, v);
            }
            case SET -> k.fields.put("new-member-" + r.nextInt(1000), new byte[0]);
            case HASH -> {
                String f = k.fields.keySet().iterator().next();
                k.fields.put(f, java.util.Arrays.copyOf(k.fields.get(f), k.fields.get(f).length + 1));
            }
            default -> {
                String m = k.scores.keySet().iterator().next();
                k.scores.put(m, k.scores.get(m) + 1.5);
            }
        }
    }

    /** Writes the keys, db by db in the given order, cutting collections into chunks of {@code chunk}. */
    private Path write(List<Key> keys, String name, int chunk, Random r) throws IOException {
        Path out = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(out)) {
            RdbWriter w = new RdbWriter(os, RdbWriter.Options.defaults());
            w.accept(new Begin(SourceKind.RDB, "test", Dialect.REDIS, -1, 0));
            List<Key> sorted = new ArrayList<>(keys);
            sorted.sort((a, b) -> Integer.compare(a.db, b.db));
            for (Key k : sorted) {
                KeyHeader h = new KeyHeader(k.db, k.name, k.type, null, k.expire, -1, -1, -1, 0);
                w.accept(new KeyStart(h));
                for (Event part : parts(k, chunk, r)) {
                    w.accept(part);
                }
                w.accept(new KeyEnd(h, null, 0));
            }
            w.accept(new End(0, false, 0));
            w.close();
        }
        return out;
    }

    private static List<Event> parts(Key k, int chunk, Random r) {
        List<Event> out = new ArrayList<>();
        switch (k.type) {
            case STRING -> out.add(new StringPart(k.string, true, 0));
            case LIST -> {
                for (int i = 0; i < k.items.size(); i += chunk) {
                    out.add(new Elements(k.items.subList(i, Math.min(k.items.size(), i + chunk)), 0));
                }
            }
            case SET -> {
                List<byte[]> m = new ArrayList<>();
                k.fields.keySet().forEach(s -> m.add(s.getBytes()));
                Collections.shuffle(m, r);
                for (int i = 0; i < m.size(); i += chunk) {
                    out.add(new Elements(m.subList(i, Math.min(m.size(), i + chunk)), 0));
                }
            }
            case HASH -> {
                List<HashField> f = new ArrayList<>();
                k.fields.forEach((n, v) -> f.add(new HashField(n.getBytes(), v, -1)));
                Collections.shuffle(f, r);
                for (int i = 0; i < f.size(); i += chunk) {
                    out.add(new HashFields(f.subList(i, Math.min(f.size(), i + chunk)), 0));
                }
            }
            default -> {
                List<ScoredMember> z = new ArrayList<>();
                k.scores.forEach((n, s) -> z.add(new ScoredMember(n.getBytes(), s)));
                Collections.shuffle(z, r);
                for (int i = 0; i < z.size(); i += chunk) {
                    out.add(new ZSetMembers(z.subList(i, Math.min(z.size(), i + chunk)), 0));
                }
            }
        }
        return out;
    }

    @Property(tries = 40)
    void theDiffReportsExactlyTheChangedKeys(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        int n = r.nextInt(400);
        List<Key> a = new ArrayList<>();
        Map<String, Integer> used = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int db = r.nextInt(3);
            byte[] name = r.nextInt(4) == 0 ? bytes(r, 6) : ("key:" + r.nextInt(100_000)).getBytes();
            if (used.putIfAbsent(db + ":" + java.util.HexFormat.of().formatHex(name), i) != null) {
                continue;
            }
            a.add(randomKey(r, db, name));
        }
        List<Key> b = new ArrayList<>();
        // expected kinds by "db:hexkey", in (db, key) order like the report
        TreeMap<String, Set<Difference.Kind>> expected = new TreeMap<>();
        for (Key k : a) {
            String id = k.db + ":" + java.util.HexFormat.of().formatHex(k.name);
            int what = r.nextInt(20);
            Key c = k.copy();
            EnumSet<Difference.Kind> kinds = EnumSet.noneOf(Difference.Kind.class);
            if (what == 0) {
                expected.put(id, EnumSet.of(Difference.Kind.MISSING));
                continue;
            } else if (what == 1) {
                changeValue(r, c);
                kinds.add(Difference.Kind.VALUE);
            } else if (what == 2) {
                c.expire = c.expire < 0 ? 2_100_000_000_000L : (r.nextBoolean() ? -1 : c.expire + 1);
                kinds.add(Difference.Kind.TTL);
            } else if (what == 3) {
                c.type = k.type == DataType.STRING ? DataType.LIST : DataType.STRING;
                c.string = "x".getBytes();
                c.items = new ArrayList<>(List.of("x".getBytes()));
                kinds.add(Difference.Kind.TYPE);
            } else if (what == 4) {
                changeValue(r, c);
                c.expire = c.expire < 0 ? 2_100_000_000_000L : -1;
                kinds.add(Difference.Kind.VALUE);
                kinds.add(Difference.Kind.TTL);
            }
            if (!kinds.isEmpty()) {
                expected.put(id, kinds);
            }
            b.add(c);
        }
        int extra = r.nextInt(5);
        for (int i = 0; i < extra; i++) {
            byte[] name = ("extra:" + i + ":" + seed).getBytes();
            Key k = randomKey(r, r.nextInt(3), name);
            b.add(k);
            expected.put(k.db + ":" + java.util.HexFormat.of().formatHex(name), EnumSet.of(Difference.Kind.EXTRA));
        }
        Collections.shuffle(b, r);
        Path fa = write(a, "a.rdb", 1 + r.nextInt(3), r);
        Path fb = write(b, "b.rdb", 1 + r.nextInt(50), r);

        long budget = r.nextBoolean() ? 2048 + r.nextInt(20_000) : DiffOptions.DEFAULT_MEMORY_BUDGET;
        DiffOptions o = DiffOptions.defaults().withTempDir(tmp).withMemoryBudget(budget).withMaxDiffs(10_000);
        DiffResult res = Differ.run(fa.toString(), fb.toString(), o);

        Map<String, Set<Difference.Kind>> actual = new TreeMap<>();
        for (Difference d : res.differences()) {
            actual.put(d.ref().db() + ":" + java.util.HexFormat.of().formatHex(d.ref().key()), d.kinds());
        }
        assertEquals(expected, actual);
        assertEquals(expected.size(), res.different());
        assertEquals(a.size(), res.a().keys());
        assertEquals(b.size(), res.b().keys());
        assertEquals(expected.isEmpty(), res.isSame());
        // every value difference is explained by at least one element difference or a note
        for (Difference d : res.differences()) {
            if (d.kinds().contains(Difference.Kind.VALUE)) {
                assertEquals(true, !d.details().isEmpty() || d.note() != null, "no details for " + d.ref());
                assertEquals(null, d.note(), "note for " + d.ref());
            }
        }
        try (var left = Files.list(tmp)) {
            assertEquals(2, left.count(), "temporary runs left behind");
        }
        Files.delete(fa);
        Files.delete(fb);
    }
}
