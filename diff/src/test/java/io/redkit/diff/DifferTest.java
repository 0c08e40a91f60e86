package io.redkit.diff;

import io.redkit.aof.Sources;
import io.redkit.aof.SourceOptions;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.sink.EventSource;
import io.redkit.kv.KvEngine;
import io.redkit.kv.KvLoader;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.writer.RdbWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Acceptance: an RDB against itself, a rewrite, the AOF of the same data, and copies with one change. */
class DifferTest {
    @TempDir
    Path tmp;

    private static Path mixed() {
        return Fixtures.file("rdb/r70-mixed.rdb");
    }

    private DiffOptions options() {
        return DiffOptions.defaults().withTempDir(tmp);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A per-key edit applied while an RDB is copied: it sees each key's events (KeyStart, parts, KeyEnd)
     * and returns the events to write, or null to drop the key.
     */
    interface KeyEdit extends Function<List<Event>, List<Event>> {
    }

    /** Copies {@code in} to a new RDB through RdbReader, the edit and RdbWriter. */
    private Path rewrite(Path in, String name, KeyEdit edit) throws IOException {
        Path out = tmp.resolve(name);
        try (InputStream is = Files.newInputStream(in);
             EventSource r = RdbReader.open(is, in.toString());
             OutputStream os = Files.newOutputStream(out)) {
            RdbWriter w = new RdbWriter(os, RdbWriter.Options.defaults());
            List<Event> key = null;
            Event e;
            while ((e = r.next()) != null) {
                if (e instanceof KeyStart) {
                    key = new ArrayList<>();
                }
                if (key == null) {
                    w.accept(e);
                    continue;
                }
                key.add(e);
                if (e instanceof KeyEnd) {
                    List<Event> edited = edit.apply(key);
                    if (edited != null) {
                        for (Event x : edited) {
                            w.accept(x);
                        }
                    }
                    key = null;
                }
            }
            w.close();
        }
        return out;
    }

    /** An edit of the first key that {@code pick} accepts; records which key it was. */
    private static final class FirstKey implements KeyEdit {
        private final java.util.function.Predicate<KeyHeader> pick;
        private final Function<List<Event>, List<Event>> change;
        KeyHeader edited;

        FirstKey(java.util.function.Predicate<KeyHeader> pick, Function<List<Event>, List<Event>> change) {
            this.pick = pick;
            this.change = change;
        }

        @Override
        public List<Event> apply(List<Event> key) {
            KeyHeader h = ((KeyStart) key.get(0)).header();
            if (edited == null && pick.test(h)) {
                edited = h;
                return change.apply(key);
            }
            return key;
        }
    }

    private static List<Event> withHeader(List<Event> key, KeyHeader h) {
        List<Event> out = new ArrayList<>(key);
        out.set(0, new KeyStart(h));
        KeyEnd end = (KeyEnd) out.get(out.size() - 1);
        out.set(out.size() - 1, new KeyEnd(h, null, end.offset()));
        return out;
    }

    private static Difference only(DiffResult r, Difference.Kind kind, KeyHeader h) {
        assertFalse(r.isSame());
        assertEquals(1, r.different(), () -> "differences: " + r.differences().size());
        Difference d = r.differences().get(0);
        assertEquals(Set.of(kind), d.kinds());
        assertEquals(h.db(), d.ref().db());
        assertArrayEquals(h.key(), d.ref().key());
        return d;
    }

    @Test
    void anRdbEqualsItselfAndItsRewrite() throws IOException {
        DiffResult self = Differ.run(mixed().toString(), mixed().toString(), options());
        assertTrue(self.isSame());
        assertEquals(3108, self.a().keys());
        assertEquals(3108, self.same());
        assertEquals("RDB", self.a().description());
        assertEquals(0, self.spilledRuns());

        Path copy = rewrite(mixed(), "copy.rdb", k -> k);
        DiffResult rewritten = Differ.run(mixed().toString(), copy.toString(), options());
        assertTrue(rewritten.isSame(), () -> report(rewritten));
    }

    @Test
    void aTinyBudgetSpillsAndGivesTheSameAnswers() throws IOException {
        FirstKey edit = new FirstKey(h -> h.type() == DataType.SET && h.db() == 2, key -> {
            List<Event> out = new ArrayList<>(key);
            Elements first = (Elements) out.get(1);
            List<byte[]> items = new ArrayList<>(first.items());
            items.add("added-member".getBytes(StandardCharsets.UTF_8));
            out.set(1, new Elements(items, first.offset()));
            return out;
        });
        Path copy = rewrite(mixed(), "set.rdb", edit);
        DiffOptions tiny = options().withMemoryBudget(8 * 1024);
        DiffResult same = Differ.run(mixed().toString(), mixed().toString(), tiny);
        assertTrue(same.isSame());
        assertTrue(same.spilledRuns() > 2 * RecordSorter.MAX_FAN_IN, "runs: " + same.spilledRuns());
        DiffResult r = Differ.run(mixed().toString(), copy.toString(), tiny);
        Difference d = only(r, Difference.Kind.VALUE, edit.edited);
        assertEquals(1, d.details().size());
        ElementDiff e = d.details().get(0);
        assertEquals("member", e.what());
        assertEquals("added-member", s(e.item()));
        assertNull(e.a());
        assertNotNull(e.b());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of("set.rdb"), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void oneChangedStringValueIsNamedWithItsOffset() throws IOException {
        FirstKey edit = new FirstKey(h -> h.type() == DataType.STRING && h.db() == 1, key -> {
            List<Event> out = new ArrayList<>(key);
            StringPart p = (StringPart) out.get(1);
            byte[] v = Arrays.copyOf(p.data(), p.data().length + 1);
            v[v.length - 1] = '!';
            out.set(1, new StringPart(v, true, p.offset()));
            return out;
        });
        Path copy = rewrite(mixed(), "string.rdb", edit);
        DiffResult r = Differ.run(mixed().toString(), copy.toString(), options());
        Difference d = only(r, Difference.Kind.VALUE, edit.edited);
        assertEquals(d.a().size() + 1, d.b().size());
        assertEquals("length", d.details().get(0).what());
        ElementDiff at = d.details().get(1);
        assertEquals("offset", at.what());
        assertEquals(Long.toString(d.a().size()), s(at.item()));
        assertNull(at.a());
        assertEquals("!", s(at.b()));
    }

    @Test
    void oneChangedHashFieldIsNamed() throws IOException {
        byte[][] changed = new byte[2][];
        FirstKey edit = new FirstKey(h -> h.type() == DataType.HASH, key -> {
            List<Event> out = new ArrayList<>(key);
            HashFields hf = (HashFields) out.get(1);
            List<HashField> fields = new ArrayList<>(hf.fields());
            HashField f = fields.get(0);
            changed[0] = f.field();
            changed[1] = f.value();
            fields.set(0, new HashField(f.field(), "CHANGED".getBytes(StandardCharsets.UTF_8), f.expireAtMs()));
            out.set(1, new HashFields(fields, hf.offset()));
            return out;
        });
        Path copy = rewrite(mixed(), "hash.rdb", edit);
        DiffResult r = Differ.run(mixed().toString(), copy.toString(), options());
        Difference d = only(r, Difference.Kind.VALUE, edit.edited);
        assertEquals(1, d.details().size());
        ElementDiff e = d.details().get(0);
        assertEquals("field", e.what());
        assertArrayEquals(changed[0], e.item());
        assertArrayEquals(changed[1], e.a());
        assertEquals("CHANGED", s(e.b()));
    }

    @Test
    void oneChangedScoreIsNamed() throws IOException {
        FirstKey edit = new FirstKey(h -> h.type() == DataType.ZSET, key -> {
            List<Event> out = new ArrayList<>(key);
            ZSetMembers z = (ZSetMembers) out.get(1);
            List<ScoredMember> ms = new ArrayList<>(z.members());
            ms.set(0, new ScoredMember(ms.get(0).member(), 12345.5));
            out.set(1, new ZSetMembers(ms, z.offset()));
            return out;
        });
        Path copy = rewrite(mixed(), "zset.rdb", edit);
        Difference d = only(Differ.run(mixed().toString(), copy.toString(), options()), Difference.Kind.VALUE,
                edit.edited);
        assertEquals(1, d.details().size());
        assertEquals("member", d.details().get(0).what());
        assertEquals("12345.5", s(d.details().get(0).b()));
    }

    @Test
    void oneChangedTtlIsNamedAndATolerantDiffAcceptsIt() throws IOException {
        FirstKey edit = new FirstKey(h -> h.expireAtMs() > 0, key -> {
            KeyHeader h = ((KeyStart) key.get(0)).header();
            return withHeader(key, new KeyHeader(h.db(), h.key(), h.type(), h.encoding(), h.expireAtMs() + 5000,
                    h.idleSeconds(), h.lfuFreq(), h.sizeHint(), h.offset()));
        });
        Path copy = rewrite(mixed(), "ttl.rdb", edit);
        Difference d = only(Differ.run(mixed().toString(), copy.toString(), options()), Difference.Kind.TTL,
                edit.edited);
        assertEquals(d.a().expireMs() + 5000, d.b().expireMs());
        assertTrue(Differ.run(mixed().toString(), copy.toString(), options().withTtlTolerance(5000)).isSame());
        assertFalse(Differ.run(mixed().toString(), copy.toString(), options().withTtlTolerance(4999)).isSame());
    }

    @Test
    void aDroppedKeyIsMissingAndExtraTheOtherWayRound() throws IOException {
        FirstKey edit = new FirstKey(h -> h.type() == DataType.STREAM, key -> null);
        Path copy = rewrite(mixed(), "drop.rdb", edit);
        only(Differ.run(mixed().toString(), copy.toString(), options()), Difference.Kind.MISSING, edit.edited);
        DiffResult back = Differ.run(copy.toString(), mixed().toString(), options());
        only(back, Difference.Kind.EXTRA, edit.edited);
        assertEquals(3107, back.a().keys());
        assertEquals(3107, back.same());
    }

    @Test
    void aTypeChangeIsATypeDifference() throws IOException {
        FirstKey edit = new FirstKey(h -> h.type() == DataType.LIST, key -> {
            KeyHeader h = ((KeyStart) key.get(0)).header();
            KeyHeader s = new KeyHeader(h.db(), h.key(), DataType.SET, "hashtable", h.expireAtMs(),
                    h.idleSeconds(), h.lfuFreq(), -1, h.offset());
            List<Event> out = new ArrayList<>();
            out.add(new KeyStart(s));
            out.add(new Elements(List.of("x".getBytes(StandardCharsets.UTF_8)), 0));
            out.add(new KeyEnd(s, null, 0));
            return out;
        });
        Path copy = rewrite(mixed(), "type.rdb", edit);
        Difference d = only(Differ.run(mixed().toString(), copy.toString(), options()), Difference.Kind.TYPE,
                edit.edited);
        assertEquals(DataType.LIST, d.a().type());
        assertEquals(DataType.SET, d.b().type());
    }

    @Test
    void anAofDirectoryEqualsAnRdbOfItsData() throws IOException {
        Path dir = Fixtures.root().resolve("aof/r70-aof-preamble");
        // the RDB of the same data: the directory replayed into an engine, saved by the RDB writer
        Path rdb = tmp.resolve("replayed.rdb");
        try (KvEngine engine = new KvEngine(() -> 0L);
             EventSource src = Sources.open(dir.toString(), SourceOptions.defaults());
             OutputStream os = Files.newOutputStream(rdb)) {
            Pipeline.run(src, KeyFilter.all(), new KvLoader(engine, KvLoader.OnExisting.REPLACE, false, "t"));
            RdbWriter w = new RdbWriter(os, RdbWriter.Options.defaults());
            try (EventSource snap = engine.snapshot()) {
                Pipeline.run(snap, KeyFilter.all(), w);
            }
            w.close();
        }
        DiffResult r = Differ.run(rdb.toString(), dir.toString(), options());
        assertTrue(r.isSame(), () -> report(r));
        assertEquals(16, r.b().keys());
        assertEquals("append-only directory (replayed)", r.b().description());
        DiffResult manifest = Differ.run(dir.resolve("appendonly.aof.manifest").toString(), rdb.toString(), options());
        assertTrue(manifest.isSame(), () -> report(manifest));
    }

    @Test
    void singleFileAofsAreReplayedAndCompressedRdbsRead() throws IOException {
        Path preamble = Fixtures.file("aof/redis-rdb-preamble.aof");
        DiffResult r = Differ.run(preamble.toString(), preamble.toString(), options());
        assertTrue(r.isSame(), () -> report(r));
        assertEquals("RDB with AOF commands (replayed)", r.a().description());
        assertEquals(3, r.a().keys());
        Path plain = Fixtures.file("aof/replicator-appendonly1.aof");
        DiffResult p = Differ.run(plain.toString(), plain.toString(), options());
        assertTrue(p.isSame(), () -> report(p));
        assertEquals("AOF (replayed)", p.a().description());
        assertEquals(2, p.a().keys());

        Path gz = tmp.resolve("mixed.rdb.gz");
        try (OutputStream os = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(mixed(), os);
        }
        DiffResult z = Differ.run(gz.toString(), mixed().toString(), options());
        assertTrue(z.isSame(), () -> report(z));
        assertEquals(3108, z.a().keys());
    }

    @Test
    void anRdbAgainstAnAofOfOtherDataDiffersInEveryKeyButListsOnlyTheFirst() throws IOException {
        Path plain = Fixtures.file("aof/replicator-appendonly1.aof");
        DiffResult r = Differ.run(mixed().toString(), plain.toString(), options().withMaxDiffs(3));
        assertFalse(r.isSame());
        // the two keys of the AOF are not in the RDB
        assertEquals(3108, r.missing(), () -> report(r));
        assertEquals(2, r.extra(), () -> report(r));
        assertEquals(3110, r.different());
        assertEquals(3, r.differences().size());
        for (int i = 1; i < 3; i++) {
            DigestRecord p = r.differences().get(i - 1).a() != null ? r.differences().get(i - 1).a()
                    : r.differences().get(i - 1).b();
            DigestRecord q = r.differences().get(i).a() != null ? r.differences().get(i).a() : r.differences().get(i).b();
            assertTrue(DigestRecord.ORDER.compare(p, q) < 0, "listed in (db, key) order");
        }
    }

    @Test
    void aBadSideFailsTheRunInEitherPlaceParallelOrNot() {
        String bad = Fixtures.file("corrupt/rdb-bad-magic.rdb").toString();
        for (boolean parallel : new boolean[] {true, false}) {
            DiffOptions o = options().withParallel(parallel);
            io.redkit.core.RedkitException first = org.junit.jupiter.api.Assertions.assertThrows(
                    io.redkit.core.RedkitException.class, () -> Differ.run(bad, mixed().toString(), o));
            assertTrue(first.getMessage().contains("rdb-bad-magic"), first.getMessage());
            io.redkit.core.RedkitException second = org.junit.jupiter.api.Assertions.assertThrows(
                    io.redkit.core.RedkitException.class, () -> Differ.run(mixed().toString(), bad, o));
            assertTrue(second.getMessage().contains("rdb-bad-magic"), second.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> Differ.run(mixed().toString(), tmp.resolve("none.rdb").toString(), o));
        }
    }

    @Test
    void sequentialAndParallelRunsAgree() throws IOException {
        FirstKey edit = new FirstKey(h -> h.type() == DataType.ZSET && h.db() == 1, key -> null);
        Path copy = rewrite(mixed(), "drop.rdb", edit);
        DiffResult p = Differ.run(mixed().toString(), copy.toString(), options().withMemoryBudget(32 * 1024));
        DiffResult s = Differ.run(mixed().toString(), copy.toString(),
                options().withMemoryBudget(32 * 1024).withParallel(false));
        assertEquals(p.missing(), s.missing());
        assertEquals(1, s.missing());
        assertEquals(p.same(), s.same());
        assertEquals(p.spilledRuns(), s.spilledRuns());
    }

    @Test
    void reportsInBothFormats() throws IOException {
        FirstKey edit = new FirstKey(h -> h.type() == DataType.STREAM, key -> null);
        Path copy = rewrite(mixed(), "drop.rdb", edit);
        DiffResult r = Differ.run(mixed().toString(), copy.toString(), options());
        StringWriter text = new StringWriter();
        ReportWriter.write(r, ReportWriter.Format.TEXT, text);
        assertTrue(text.toString().contains("different: 1 key(s)"), text.toString());
        assertTrue(text.toString().contains("missing: db " + edit.edited.db()), text.toString());
        StringWriter jsonl = new StringWriter();
        ReportWriter.write(r, ReportWriter.Format.JSONL, jsonl);
        String[] lines = jsonl.toString().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("{\"summary\": {\"a\": {\"source\": "), lines[0]);
        assertTrue(lines[0].contains("\"different\": 1, \"missing\": 1,"), lines[0]);
        assertTrue(lines[1].startsWith("{\"diff\": [\"missing\"], \"db\": " + edit.edited.db() + ", \"key\": "),
                lines[1]);
        assertTrue(lines[1].contains("\"b\": null"), lines[1]);
    }

    private static String report(DiffResult r) {
        StringWriter w = new StringWriter();
        try {
            ReportWriter.write(r, ReportWriter.Format.TEXT, w);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }
}
