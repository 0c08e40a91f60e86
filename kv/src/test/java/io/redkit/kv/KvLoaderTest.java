package io.redkit.kv;

import static io.redkit.kv.Kv.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redkit.core.RedkitException;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.Command;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.EventSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** KvLoader: whole and chunked values, TTLs, expired keys and fields, existing keys, commands; snapshot lifecycle. */
class KvLoaderTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final KvEngine e = new KvEngine(clock);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static KeyHeader h(int db, String key, DataType t, long exp) {
        return new KeyHeader(db, b(key), t, null, exp, -1, -1, -1, 0);
    }

    private static void key(KvLoader l, KeyHeader h, Event... parts) throws Exception {
        l.accept(new KeyStart(h));
        for (Event p : parts) {
            l.accept(p);
        }
        l.accept(new KeyEnd(h, null, 0));
    }

    @Test
    void loadsWholeAndChunkedValues() throws Exception {
        KvLoader l = new KvLoader(e, KvLoader.OnExisting.ERROR, true, "test");
        key(l, h(0, "s", DataType.STRING, -1), new StringPart(b("hello "), false, 0),
                new StringPart(b("big "), false, 0), new StringPart(b("world"), true, 0));
        key(l, h(0, "one", DataType.STRING, 5_000_000), new StringPart(b("x"), true, 0));
        key(l, h(3, "l", DataType.LIST, -1), new Elements(List.of(b("a"), b("b")), 0),
                new Elements(List.of(b("c")), 0));
        key(l, h(0, "h", DataType.HASH, -1), new HashFields(List.of(new HashField(b("f"), b("1"), -1),
                new HashField(b("gone"), b("2"), 999_999), new HashField(b("ttl"), b("3"), 2_000_000)), 0));
        key(l, h(0, "z", DataType.ZSET, -1), new ZSetMembers(List.of(new ScoredMember(b("m"), 1.5)), 0));
        key(l, h(0, "set", DataType.SET, -1), new Elements(List.of(b("a")), 0), new Elements(List.of(b("b")), 0));
        assertEquals("\"hello big world\"", run(e, "GET s"));
        assertEquals(":4000", run(e, "TTL one"));
        assertEquals("[\"a\", \"b\", \"c\"]", run(e, 3, "LRANGE l 0 -1"));
        assertEquals(":2", run(e, "HLEN h"));
        assertEquals("[:1000]", run(e, "HTTL h FIELDS 1 ttl"));
        assertEquals("(nil)", run(e, "HGET h gone"));
        assertEquals("\"1.5\"", run(e, "ZSCORE z m"));
        assertEquals(":2", run(e, "SCARD set"));
        assertEquals(6, l.keysLoaded());
    }

    @Test
    void dropsExpiredKeysAndArrays() throws Exception {
        KvLoader l = new KvLoader(e, KvLoader.OnExisting.ERROR, true, "test");
        key(l, h(0, "old", DataType.STRING, 999_999), new StringPart(b("x"), true, 0));
        key(l, h(0, "allgone", DataType.HASH, -1), new HashFields(List.of(new HashField(b("f"), b("1"), 1)), 0));
        key(l, h(0, "arr", DataType.ARRAY, -1), new ArrayElements(List.of(), -1, 0));
        assertEquals(":0", run(e, "DBSIZE"));
        assertEquals(2, l.keysExpired());
        assertEquals(1, l.keysUnsupported());
    }

    @Test
    void existingKeysFollowTheChosenMode() throws Exception {
        run(e, "SET k old");
        KeyHeader hk = h(0, "k", DataType.STRING, -1);
        KvLoader skip = new KvLoader(e, KvLoader.OnExisting.SKIP, true, "test");
        key(skip, hk, new StringPart(b("new"), true, 0));
        assertEquals("\"old\"", run(e, "GET k"));
        assertEquals(1, skip.keysSkippedExisting());
        KvLoader replace = new KvLoader(e, KvLoader.OnExisting.REPLACE, true, "test");
        run(e, "EXPIRE k 100");
        key(replace, hk, new StringPart(b("new"), true, 0));
        assertEquals("\"new\"", run(e, "GET k"));
        assertEquals(":-1", run(e, "TTL k"));
        KvLoader strict = new KvLoader(e, KvLoader.OnExisting.ERROR, true, "test");
        RedkitException ex = assertThrows(RedkitException.class, () -> strict.accept(new KeyStart(hk)));
        assertEquals("BUSYKEY Target key name already exists", ex.detail());
    }

    @Test
    void commandsRunThroughTheEngine() throws Exception {
        KvLoader l = new KvLoader(e, KvLoader.OnExisting.ERROR, true, "test");
        l.accept(new Command(2, List.of(b("SELECT"), b("2")), -1, 0));
        l.accept(new Command(2, List.of(b("MULTI")), -1, 0));
        l.accept(new Command(2, List.of(b("SET"), b("a"), b("1")), -1, 0));
        l.accept(new Command(2, List.of(b("INCRBY"), b("a"), b("5")), -1, 0));
        l.accept(new Command(2, List.of(b("EXEC")), -1, 0));
        assertEquals("\"6\"", run(e, 2, "GET a"));
        assertEquals(2, l.commandsApplied());
        RedkitException ex = assertThrows(RedkitException.class,
                () -> l.accept(new Command(2, List.of(b("LPUSH"), b("a"), b("x")), -1, 77)));
        assertEquals(77, ex.offset());
        KvLoader lenient = new KvLoader(e, KvLoader.OnExisting.ERROR, false, "test");
        lenient.accept(new Command(2, List.of(b("NOSUCH")), -1, 0));
        assertEquals(1, lenient.commandErrors());
    }

    @Test
    void oneSnapshotAtATimeAndSkipValue() throws Exception {
        run(e, "RPUSH l a b c");
        run(e, "SET s v");
        EventSource snap = e.snapshot();
        assertThrows(IllegalStateException.class, e::snapshot);
        int keys = 0;
        Event ev;
        while ((ev = snap.next()) != null) {
            if (ev instanceof KeyStart) {
                keys++;
                snap.skipValue();
                Event next = snap.next();
                assertEquals(io.redkit.core.event.EventKind.KEY_END, next.kind());
            }
        }
        assertEquals(2, keys);
        // finished: a new snapshot may start; closing one early ends it too
        EventSource again = e.snapshot();
        again.close();
        e.snapshot().close();
    }

    @Test
    void snapshotSeesTheStateAtItsStart() throws Exception {
        for (int i = 0; i < 1000; i++) {
            run(e, "SET k" + i + " v" + i);
        }
        run(e, "RPUSH list a b");
        EventSource snap = e.snapshot();
        run(e, "FLUSHALL");
        run(e, "SET late x");
        TreeMapHolder.check(snap);
    }

    @Test
    void valuesChangedDuringASnapshotAreCopiedFirst() throws Exception {
        run(e, "RPUSH list a b");
        run(e, "HSET hash f 1");
        run(e, "ZADD z 1 m");
        run(e, "SADD s x");
        run(e, "XADD x 1-1 f v");
        EventSource snap = e.snapshot();
        // the first write copies the shard: the snapshot holds the values as they were
        run(e, "RPUSH list c");
        run(e, "HSET hash g 2");
        run(e, "ZADD z 2 n");
        run(e, "SADD s y");
        run(e, "XADD x 2-1 f v");
        run(e, "RENAME list list2");
        run(e, "LPUSH list2 z");
        java.util.TreeMap<String, String> m = Canon.of(snap, 0);
        assertEquals("list exp=-1 61 62", m.get("0 " + Canon.hex(b("list"))));
        assertEquals("hash exp=-1 66=31", m.get("0 " + Canon.hex(b("hash"))));
        assertEquals("set exp=-1 78", m.get("0 " + Canon.hex(b("s"))));
        assertEquals(5, m.size());
        assertEquals("[\"z\", \"a\", \"b\", \"c\"]", run(e, "LRANGE list2 0 -1"));
        assertEquals(":2", run(e, "ZCARD z"));
        assertEquals(":2", run(e, "XLEN x"));
        // and the next snapshot sees the new state
        java.util.TreeMap<String, String> m2 = Canon.of(e.snapshot(), 0);
        assertEquals("list exp=-1 7a 61 62 63", m2.get("0 " + Canon.hex(b("list2"))));
    }

    /** Reads a snapshot and checks it holds the 1001 keys of before the FLUSHALL. */
    private static final class TreeMapHolder {
        static void check(EventSource snap) throws Exception {
            java.util.TreeMap<String, String> m = Canon.of(snap, 0);
            assertEquals(1001, m.size());
            assertEquals("list exp=-1 61 62", m.get("0 " + Canon.hex(b("list"))));
        }
    }
}
