package io.redkit.rdb.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.Bytes;
import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Elements;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StreamPending;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes a mixed dataset with {@link RdbWriter} and has a real redis-server (7.0, RDB 10) load it;
 * checks DBSIZE, TYPE, encodings, values and TTLs through redis-cli, and RESTOREs a DUMP payload.
 * Skips locally without redis-server; fails under CI=true.
 */
class RdbWriterIT {
    private static final long FAR = 4_000_000_000_000L;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {7, 8, 9, 10})
    void redisServerLoadsTheFile(int version) throws Exception {
        Path rdb = tmp.resolve("x.rdb");
        try (AtomicFileOutput out = AtomicFileOutput.open(rdb, false)) {
            try (RdbWriter w = new RdbWriter(out, RdbWriter.Options.builder().version(version).build())) {
                w.accept(new Begin(SourceKind.RDB, "it", Dialect.REDIS, version, 0));
                for (Event e : dataset(version)) {
                    w.accept(e);
                }
                w.accept(new End(0, false, -1));
            }
            out.commit();
        }
        try (TestRedis c = TestRedis.start(tmp, "x.rdb")) {
            assertEquals("9", c.run("dbsize"));
            assertEquals("1", c.run("-n", "1", "dbsize"));
            assertEquals("string", c.run("type", "str"));
            assertEquals("hello world", c.run("get", "str"));
            assertEquals("12345", c.run("get", "int"));
            String pttl = c.run("pexpiretime", "int");
            assertEquals(Long.toString(FAR), pttl);
            assertEquals("1000000", c.run("strlen", "big"));
            assertEquals("5000", c.run("llen", "list"));
            assertEquals("e4999", c.run("lindex", "list", "-1"));
            assertEquals("10000", c.run("eval", "return string.len(redis.call('lindex', KEYS[1], 2500))", "1", "list"));
            assertEquals("quicklist", c.run("object", "encoding", "list"));
            assertEquals("intset", c.run("object", "encoding", "ints"));
            assertEquals("1", c.run("sismember", "ints", "-7"));
            assertEquals("600", c.run("scard", "bigset"));
            assertEquals("hashtable", c.run("object", "encoding", "bigset"));
            assertEquals("listpack", c.run("object", "encoding", "hash").replace("ziplist", "listpack"));
            assertEquals("v2", c.run("hget", "hash", "f2"));
            assertEquals("700", c.run("hlen", "bighash"));
            assertEquals("hashtable", c.run("object", "encoding", "bighash"));
            assertEquals("listpack", c.run("object", "encoding", "zset").replace("ziplist", "listpack"));
            assertEquals("a\nb\nc", c.run("zrange", "zset", "0", "-1"));
            assertEquals("inf", c.run("zscore", "zset", "c"));
            assertEquals("skiplist", c.run("-n", "1", "object", "encoding", "bigzset"));
            assertEquals("m699", c.run("-n", "1", "zrange", "bigzset", "-1", "-1"));
            assertEquals("1.5", c.run("-n", "1", "zscore", "bigzset", "m1"));
            if (version >= 9) {
                assertEquals("1", c.run("-n", "2", "dbsize"));
                assertEquals("stream", c.run("-n", "2", "type", "stream"));
                assertEquals("250", c.run("-n", "2", "xlen", "stream"));
                assertTrue(c.run("-n", "2", "xpending", "stream", "g1").startsWith("3\n"), "3 pending");
                assertEquals("1700000000000-1\ntemp\n1\ncity\nc1", c.run("-n", "2", "xrange", "stream", "(1700000000000-0", "+", "count", "1"));
            }
            if (version >= 10) {
                assertTrue(c.run("function", "list").contains("mylib"));
            }
            // DUMP payload of this writer, RESTOREd by the server
            List<Event> one = stringKeyEvents("r", "restored value " + "z".repeat(40));
            byte[] payload = DumpPayload.build(one, Math.min(version, 10));
            assertEquals("OK", c.runStdin(payload, "-x", "restore", "restored", "0"));
            assertEquals("restored value " + "z".repeat(40), c.run("get", "restored"));
        }
    }

    static List<Event> stringKeyEvents(String key, String value) {
        KeyHeader h = new KeyHeader(0, Bytes.of(key), DataType.STRING, null, -1, -1, -1, -1, -1);
        return List.of(new KeyStart(h), new StringPart(Bytes.of(value), true, -1), new KeyEnd(h, null, -1));
    }

    private static List<Event> dataset(int version) {
        List<Event> ev = new ArrayList<>();
        if (version >= 10) {
            ev.add(new FunctionLibrary(Bytes.of("#!lua name=mylib\nredis.register_function('myfn', function() return 1 end)"), -1));
        }
        key(ev, 0, "str", DataType.STRING, -1, -1, new StringPart(Bytes.of("hello world"), true, -1));
        key(ev, 0, "int", DataType.STRING, FAR, -1, new StringPart(Bytes.of("12345"), true, -1));
        byte[] chunk = new byte[100_000];
        Arrays.fill(chunk, (byte) 'q');
        List<Event> parts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            parts.add(new StringPart(chunk, i == 9, -1));
        }
        key(ev, 0, "big", DataType.STRING, -1, 1_000_000, parts.toArray(new Event[0]));
        List<Event> listParts = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            List<byte[]> items = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = c * 1000 + i;
                items.add(n == 2500 ? new byte[10000] : Bytes.of("e" + n));
            }
            listParts.add(new Elements(items, -1));
        }
        key(ev, 0, "list", DataType.LIST, -1, -1, listParts.toArray(new Event[0]));
        key(ev, 0, "ints", DataType.SET, -1, -1, new Elements(List.of(Bytes.of("5"), Bytes.of("-7"), Bytes.of("100000")), -1));
        List<byte[]> big = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            big.add(Bytes.of("m" + i));
        }
        key(ev, 0, "bigset", DataType.SET, -1, -1, new Elements(big.subList(0, 300), -1), new Elements(big.subList(300, 600), -1));
        key(ev, 0, "hash", DataType.HASH, -1, -1, new HashFields(List.of(new HashField(Bytes.of("f1"), Bytes.of("v1"), -1),
                new HashField(Bytes.of("f2"), Bytes.of("v2"), -1)), -1));
        List<HashField> hf = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            hf.add(new HashField(Bytes.of("field" + i), Bytes.of("value" + i), -1));
        }
        key(ev, 0, "bighash", DataType.HASH, -1, -1, new HashFields(hf, -1));
        key(ev, 0, "zset", DataType.ZSET, -1, -1, new ZSetMembers(List.of(new ScoredMember(Bytes.of("c"), Double.POSITIVE_INFINITY),
                new ScoredMember(Bytes.of("a"), -2.5), new ScoredMember(Bytes.of("b"), 3)), -1));
        List<ScoredMember> zm = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            zm.add(new ScoredMember(Bytes.of("m" + i), i + 0.5));
        }
        key(ev, 1, "bigzset", DataType.ZSET, -1, -1, new ZSetMembers(zm, -1));
        if (version >= 9) {
            List<StreamEntry> se = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                se.add(new StreamEntry(new StreamId(1_700_000_000_000L + i / 3, i % 3),
                        i % 7 == 0 ? List.of(Bytes.of("x"), Bytes.of("1")) : List.of(Bytes.of("temp"), Bytes.of("" + i), Bytes.of("city"), Bytes.of("c" + i))));
            }
            List<StreamId> owned = List.of(se.get(0).id(), se.get(10).id(), se.get(20).id());
            List<StreamPending> pel = new ArrayList<>();
            for (StreamId id : owned) {
                pel.add(new StreamPending(id, 1_700_000_000_000L, 1));
            }
            StreamGroup g = new StreamGroup(Bytes.of("g1"), se.get(20).id(), 21, pel,
                    List.of(new StreamConsumer(Bytes.of("alice"), 1_700_000_000_000L, 1_700_000_000_000L, owned)), List.of());
            key(ev, 2, "stream", DataType.STREAM, -1, -1, new StreamEntries(se.subList(0, 100), -1),
                    new StreamEntries(se.subList(100, 250), -1),
                    new StreamMeta(250, se.get(249).id(), se.get(0).id(), StreamId.ZERO, 250, List.of(g), null, -1));
        }
        return ev;
    }

    private static void key(List<Event> ev, int db, String key, DataType t, long expire, long sizeHint, Event... parts) {
        KeyHeader h = new KeyHeader(db, Bytes.of(key), t, null, expire, -1, -1, sizeHint, -1);
        ev.add(new KeyStart(h));
        ev.addAll(Arrays.asList(parts));
        ev.add(new KeyEnd(h, null, -1));
    }
}
