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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Values far bigger than the detail budget: the difference is still named exactly (found through the
 * bucket pass, then gathered bucket by bucket), for every type.
 */
class BigValueDiffTest {
    static final int N = 50_000;
    static final int STRING_LEN = 2_000_000;

    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts of each big key; {@code change} may replace the parts of one key. */
    private Path write(String name, UnaryOperator<Map<String, List<Event>>> change) throws IOException {
        Map<String, List<Event>> keys = new HashMap<>();
        List<byte[]> items = new ArrayList<>();
        List<HashField> fields = new ArrayList<>();
        List<ScoredMember> members = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            items.add(b("item-" + i));
            fields.add(new HashField(b("field-" + i), b("value-" + i), -1));
            members.add(new ScoredMember(b("member-" + i), i));
        }
        byte[] text = new byte[STRING_LEN];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + i % 26);
        }
        keys.put("list", chunks(items, Elements::new));
        keys.put("set", chunks(items, Elements::new));
        keys.put("hash", chunks(fields, HashFields::new));
        keys.put("zset", chunks(members, ZSetMembers::new));
        List<Event> parts = new ArrayList<>();
        for (int i = 0; i < text.length; i += 100_000) {
            parts.add(new StringPart(java.util.Arrays.copyOfRange(text, i, Math.min(text.length, i + 100_000)),
                    i + 100_000 >= text.length, 0));
        }
        keys.put("string", parts);
        keys = change.apply(keys);
        Map<String, DataType> types = Map.of("list", DataType.LIST, "set", DataType.SET, "hash", DataType.HASH,
                "zset", DataType.ZSET, "string", DataType.STRING);
        Path out = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(out)) {
            RdbWriter w = new RdbWriter(os, RdbWriter.Options.defaults());
            w.accept(new Begin(SourceKind.RDB, "t", Dialect.REDIS, -1, 0));
            for (Map.Entry<String, List<Event>> k : new java.util.TreeMap<>(keys).entrySet()) {
                KeyHeader h = new KeyHeader(0, b(k.getKey()), types.get(k.getKey()), null, -1, -1, -1, -1, 0);
                w.accept(new KeyStart(h));
                for (Event e : k.getValue()) {
                    w.accept(e);
                }
                w.accept(new KeyEnd(h, null, 0));
            }
            w.accept(new End(0, false, 0));
            w.close();
        }
        return out;
    }

    private static <T> List<Event> chunks(List<T> all, java.util.function.BiFunction<List<T>, Long, Event> make) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 1000) {
            out.add(make.apply(new ArrayList<>(all.subList(i, Math.min(all.size(), i + 1000))), 0L));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, List<Event>> edit(Map<String, List<Event>> keys, String key, int chunk,
                                                     UnaryOperator<Event> change) {
        List<Event> parts = new ArrayList<>(keys.get(key));
        parts.set(chunk, change.apply(parts.get(chunk)));
        keys.put(key, parts);
        return keys;
    }

    @Test
    void everyBigValueDifferenceIsNamedExactly() throws IOException {
        Path a = write("a.rdb", k -> k);
        Path b = write("b.rdb", k -> {
            edit(k, "list", 37, e -> {
                List<byte[]> items = new ArrayList<>(((Elements) e).items());
                items.set(5, b("CHANGED"));
                return new Elements(items, 0);
            });
            edit(k, "set", 12, e -> {
                List<byte[]> items = new ArrayList<>(((Elements) e).items());
                items.remove(7);
                return new Elements(items, 0);
            });
            edit(k, "hash", 49, e -> {
                List<HashField> f = new ArrayList<>(((HashFields) e).fields());
                f.set(999, new HashField(f.get(999).field(), b("CHANGED"), -1));
                return new HashFields(f, 0);
            });
            edit(k, "zset", 0, e -> {
                List<ScoredMember> m = new ArrayList<>(((ZSetMembers) e).members());
                m.set(3, new ScoredMember(m.get(3).member(), -7.5));
                return new ZSetMembers(m, 0);
            });
            edit(k, "string", 13, e -> {
                byte[] d = ((StringPart) e).data().clone();
                d[4242] = '!';
                return new StringPart(d, ((StringPart) e).last(), 0);
            });
            return k;
        });
        DiffResult r = Differ.run(a.toString(), b.toString(),
                DiffOptions.defaults().withTempDir(tmp).withMemoryBudget(256 * 1024));
        assertEquals(5, r.value());
        Map<String, Difference> byKey = new HashMap<>();
        r.differences().forEach(d -> byKey.put(new String(d.ref().key(), StandardCharsets.UTF_8), d));

        expect(byKey.get("list"), "index", Integer.toString(37 * 1000 + 5), "item-37005", "CHANGED");
        expect(byKey.get("set"), "member", "item-12007", "present", null);
        expect(byKey.get("hash"), "field", "field-49999", "value-49999", "CHANGED");
        expect(byKey.get("zset"), "member", "member-3", "3", "-7.5");
        String at = Integer.toString(13 * 100_000 + 4242);
        Difference s = byKey.get("string");
        assertNull(s.note(), s.note());
        assertEquals(1, s.details().size());
        ElementDiff e = s.details().get(0);
        assertEquals("offset", e.what());
        assertEquals(at, new String(e.item(), StandardCharsets.UTF_8));
        assertEquals('!', e.b()[0]);
        assertEquals('a' + (13 * 100_000 + 4242) % 26, e.a()[0]);
    }

    private static void expect(Difference d, String what, String item, String a, String b) {
        assertNull(d.note(), d.note());
        assertEquals(1, d.details().size(), () -> d.details().toString());
        ElementDiff e = d.details().get(0);
        assertEquals(what, e.what());
        assertEquals(item, new String(e.item(), StandardCharsets.UTF_8));
        assertEquals(a, e.a() == null ? null : new String(e.a(), StandardCharsets.UTF_8));
        assertEquals(b, e.b() == null ? null : new String(e.b(), StandardCharsets.UTF_8));
    }
}
