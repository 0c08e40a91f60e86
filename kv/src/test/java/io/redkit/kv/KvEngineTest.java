package io.redkit.kv;

import static io.redkit.kv.Kv.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Engine behaviour the Redis-recorded script cannot show: time, databases, field TTLs, active expiry, memory. */
class KvEngineTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final KvEngine e = new KvEngine(clock);

    @Test
    void keysExpireLazilyOnRead() {
        run(e, "SET k v PX 1000");
        assertEquals(":1000", run(e, "PTTL k"));
        assertEquals(":1", run(e, "TTL k"));
        clock.advance(999);
        assertEquals("\"v\"", run(e, "GET k"));
        assertEquals(":1", run(e, "PTTL k"));
        clock.advance(1);
        assertEquals("(nil)", run(e, "GET k"));
        assertEquals(":-2", run(e, "TTL k"));
        assertEquals(":0", run(e, "EXISTS k"));
        assertEquals("+none", run(e, "TYPE k"));
        // reads never delete; DBSIZE counts the key until a write or the active cycle removes it, as in Redis
        assertEquals(":1", run(e, "DBSIZE"));
        assertEquals(":1", run(e, "RPUSH k a"));
        assertEquals(":-1", run(e, "TTL k"));
    }

    @Test
    void ttlRoundsToNearestSecond() {
        run(e, "SET k v PX 1499");
        assertEquals(":1", run(e, "TTL k"));
        run(e, "SET k v PX 1500");
        assertEquals(":2", run(e, "TTL k"));
        run(e, "PEXPIREAT k " + (clock.nowMs() + 10_000));
        assertEquals(":" + (clock.nowMs() + 10_000), run(e, "PEXPIRETIME k"));
        assertEquals(":" + (clock.nowMs() + 10_000 + 500) / 1000, run(e, "EXPIRETIME k"));
    }

    @Test
    void expireInThePastDeletes() {
        run(e, "SET k v");
        assertEquals(":1", run(e, "PEXPIREAT k " + (clock.nowMs() - 1)));
        assertEquals(":0", run(e, "DBSIZE"));
        run(e, "SET k v");
        assertEquals(":1", run(e, "PEXPIREAT k " + clock.nowMs()));
        assertEquals(":0", run(e, "EXISTS k"));
        run(e, "SET k v");
        assertEquals(":1", run(e, "EXPIRE k 0"));
        assertEquals(":0", run(e, "EXISTS k"));
    }

    @Test
    void databasesAreSeparate() {
        run(e, 0, "SET k zero");
        run(e, 15, "SET k fifteen");
        assertEquals("\"zero\"", run(e, 0, "GET k"));
        assertEquals("\"fifteen\"", run(e, 15, "GET k"));
        assertEquals("(nil)", run(e, 3, "GET k"));
        assertEquals("+OK", run(e, 15, "FLUSHDB"));
        assertEquals(":1", run(e, 0, "DBSIZE"));
        assertEquals("-ERR DB index is out of range", ReplyText.of(e.execute(16, Kv.argv("GET k"))));
        run(e, 2, "SET x y");
        assertEquals("+OK", run(e, 0, "FLUSHALL"));
        assertEquals(":0", run(e, 2, "DBSIZE"));
    }

    @Test
    void hashFieldTtl() {
        run(e, "HSET h a 1 b 2 c 3");
        assertEquals("[:1, :1, :-2]", run(e, "HEXPIRE h 10 FIELDS 3 a b nof"));
        assertEquals("[:10, :10, :-1, :-2]", run(e, "HTTL h FIELDS 4 a b c nof"));
        assertEquals("[:10000]", run(e, "HPTTL h FIELDS 1 a"));
        assertEquals("[:" + (clock.nowMs() / 1000 + 10) + "]", run(e, "HEXPIRETIME h FIELDS 1 a"));
        assertEquals("[:" + (clock.nowMs() + 10_000) + "]", run(e, "HPEXPIRETIME h FIELDS 1 a"));
        assertEquals("[:0, :1]", run(e, "HEXPIRE h 20 NX FIELDS 2 a c"));
        assertEquals("[:0]", run(e, "HEXPIRE h 5 GT FIELDS 1 a"));
        assertEquals("[:1]", run(e, "HEXPIRE h 5 LT FIELDS 1 a"));
        run(e, "HSET h d 4");
        assertEquals("[:0, :-2]", run(e, "HPEXPIRE h 5 XX FIELDS 2 d nof"));
        assertEquals("[:1, :-1, :-2]", run(e, "HPERSIST h FIELDS 3 b b nof"));
        assertEquals("[:-1]", run(e, "HTTL h FIELDS 1 b"));
        clock.advance(5_000);
        assertEquals("(nil)", run(e, "HGET h a"));
        assertEquals("[:-2]", run(e, "HTTL h FIELDS 1 a"));
        assertEquals(":3", run(e, "HLEN h"));
        assertEquals(":0", run(e, "HEXISTS h a"));
        // a field set again loses its TTL
        run(e, "HSET h c 33");
        assertEquals("[:-1]", run(e, "HTTL h FIELDS 1 c"));
        // a time in the past deletes the field; the last field gone deletes the key
        assertEquals("[:2, :2, :2]", run(e, "HPEXPIREAT h 1 FIELDS 3 b c d"));
        assertEquals(":0", run(e, "EXISTS h"));
        assertEquals("[:-2]", run(e, "HEXPIRE nokey 10 FIELDS 1 a"));
        assertEquals("[:-2, :-2]", run(e, "HTTL nokey FIELDS 2 a b"));
    }

    @Test
    void hashFieldTtlErrors() {
        run(e, "HSET h a 1");
        run(e, "SET s x");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value",
                run(e, "HEXPIRE s 10 FIELDS 1 a"));
        assertEquals("-ERR value is not an integer or out of range", run(e, "HEXPIRE h x FIELDS 1 a"));
        assertEquals("-ERR invalid expire time, must be >= 0", run(e, "HEXPIRE h -1 FIELDS 1 a"));
        assertEquals("-ERR invalid expire time in 'hpexpireat' command",
                run(e, "HPEXPIREAT h 281474976710656 FIELDS 1 a"));
        assertEquals("-ERR Mandatory argument FIELDS is missing or not at the right position",
                run(e, "HEXPIRE h 100 BADCOND FIELDS 1 a"));
        assertEquals("-ERR Mandatory argument FIELDS is missing or not at the right position",
                run(e, "HTTL h NOTFIELDS 1 a"));
        assertEquals("-ERR Parameter `numFields` should be greater than 0", run(e, "HEXPIRE h 100 FIELDS 0 a"));
        assertEquals("-ERR Number of fields must be a positive integer", run(e, "HTTL h FIELDS 0 a"));
        assertEquals("-ERR The `numfields` parameter must match the number of arguments",
                run(e, "HEXPIRE h 100 FIELDS 2 a"));
        assertEquals("-ERR The `numfields` parameter must match the number of arguments",
                run(e, "HPERSIST h FIELDS 1 a b"));
        assertEquals("-ERR wrong number of arguments for 'httl' command", run(e, "HTTL h FIELDS 1"));
    }

    @Test
    void hincrbyKeepsFieldTtl() {
        run(e, "HSET h n 1");
        run(e, "HEXPIRE h 10 FIELDS 1 n");
        assertEquals(":3", run(e, "HINCRBY h n 2"));
        assertEquals("[:10]", run(e, "HTTL h FIELDS 1 n"));
    }

    @Test
    void activeExpiryRemovesExpiredKeysBySampling() {
        for (int i = 0; i < 5000; i++) {
            run(e, "SET k" + i + " v PX " + (i < 4500 ? 100 : 100_000));
        }
        for (int i = 0; i < 100; i++) {
            run(e, "SET p" + i + " v");
        }
        clock.advance(200);
        // the first cycle goes on while more than a quarter of each sample had expired
        long deleted = e.activeExpireCycle(1_000_000);
        assertTrue(deleted > 3000, "first cycle deleted " + deleted);
        // the tail goes a sample at a time, as in Redis
        for (int round = 0; round < 100_000 && e.dbSize(0) > 600; round++) {
            deleted += e.activeExpireCycle(100_000);
        }
        assertEquals(4500, deleted);
        assertEquals(600, e.dbSize(0));
        // once fewer than a quarter of the sample expire, a cycle stops early
        assertEquals(0, e.activeExpireCycle(100_000));
    }

    @Test
    void backgroundExpiryThreadRuns() throws Exception {
        KvEngine eng = new KvEngine(clock);
        for (int i = 0; i < 100; i++) {
            run(eng, "SET k" + i + " v PX 10");
        }
        clock.advance(20);
        eng.startActiveExpiry(5);
        long deadline = System.currentTimeMillis() + 10_000;
        while (eng.dbSize(0) > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        eng.close();
        assertEquals(0, eng.dbSize(0));
    }

    @Test
    void scanVisitsEveryKeyOnceWithoutChanges() {
        Set<String> want = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            run(e, "SET key:" + i + " v");
            want.add("key:" + i);
        }
        run(e, "SADD aset x");
        Set<String> got = new HashSet<>();
        int returned = 0;
        String cursor = "0";
        do {
            Reply.Array r = (Reply.Array) e.execute(0, Kv.argv("SCAN " + cursor + " MATCH key:* COUNT 50"));
            cursor = new String(((Reply.Bulk) r.items().get(0)).data());
            for (Reply k : ((Reply.Array) r.items().get(1)).items()) {
                got.add(new String(((Reply.Bulk) k).data()));
                returned++;
            }
        } while (!cursor.equals("0"));
        assertEquals(want, got);
        assertEquals(3000, returned, "no duplicates when nothing changes");
        Reply.Array sets = (Reply.Array) e.execute(0, Kv.argv("SCAN 0 TYPE set COUNT 100000"));
        assertEquals(List.of(Reply.bulk("aset".getBytes())), ((Reply.Array) sets.items().get(1)).items());
    }

    @Test
    void usedMemoryFollowsData() {
        long empty = e.usedMemory();
        for (int i = 0; i < 10_000; i++) {
            run(e, "SET key:" + i + " value:" + i);
        }
        long full = e.usedMemory();
        assertTrue(full - empty > 10_000 * 60L, "at least key and value arrays: " + (full - empty));
        assertTrue(full - empty < 10_000 * 200L, "no more than a few slots per key: " + (full - empty));
        run(e, "RPUSH list " + "x ".repeat(1000));
        long withList = e.usedMemory();
        assertTrue(withList - full > 1000 * 20L, "list elements counted: " + (withList - full));
        run(e, "FLUSHALL");
        assertEquals(empty, e.usedMemory());
    }

    @Test
    void usedMemoryReturnsToBaseAfterDeletes() {
        long empty = e.usedMemory();
        run(e, "HSET h a 1 b 2");
        run(e, "HEXPIRE h 100 FIELDS 1 a");
        run(e, "ZADD z 1 a 2 b");
        run(e, "SADD s a b");
        run(e, "XADD x 1-1 f v");
        run(e, "SET k v EX 100");
        run(e, "APPEND k more");
        run(e, "DEL h z s x k");
        assertEquals(empty, e.usedMemory());
    }

    @Test
    void floatsFormatLikeRedis() {
        assertEquals("1.5", Floats.format(1.5));
        assertEquals("3", Floats.format(3.0));
        assertEquals("0.1", Floats.format(0.1));
        assertEquals("1e+20", Floats.format(1e20));
        assertEquals("1.5e-07", Floats.format(1.5e-7));
        assertEquals("inf", Floats.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Floats.format(Double.NEGATIVE_INFINITY));
        assertEquals("-0", Floats.format(-0.0));
        assertEquals("10.6", Floats.formatPlain(10.5 + 0.1));
        assertEquals("5000", Floats.formatPlain(Floats.parse("5.0e3".getBytes())));
        assertEquals("100000000000000000000", Floats.formatPlain(1e20));
        assertTrue(Double.isNaN(Floats.parse("1.5f".getBytes())));
        assertTrue(Double.isNaN(Floats.parse("nan".getBytes())));
        assertTrue(Double.isNaN(Floats.parse(" 1".getBytes())));
        assertTrue(Double.isNaN(Floats.parse("0x10".getBytes())));
        assertEquals(Double.NEGATIVE_INFINITY, Floats.parse("-inf".getBytes()));
    }

    @Test
    void incrbyfloatFormatsLikeRedis() {
        run(e, "SET f 10.5");
        assertEquals("\"10.6\"", run(e, "INCRBYFLOAT f 0.1"));
        run(e, "SET f 5.0e3");
        assertEquals("\"5000\"", run(e, "INCRBYFLOAT f 0"));
        assertEquals("\"5200\"", run(e, "INCRBYFLOAT f 2e2"));
        assertEquals("-ERR increment would produce NaN or Infinity", run(e, "INCRBYFLOAT f inf"));
    }

    @Test
    void streamAutoIdsFollowTheClock() {
        assertEquals("\"" + clock.nowMs() + "-0\"", run(e, "XADD s * f v"));
        assertEquals("\"" + clock.nowMs() + "-1\"", run(e, "XADD s * f v"));
        clock.advance(-10);
        assertEquals("\"" + (clock.nowMs() + 10) + "-2\"", run(e, "XADD s * f v"));
    }

    @Test
    void unknownCommandAndArity() {
        assertEquals("-ERR unknown command 'Foo', with args beginning with: 'a' ", run(e, "Foo a"));
        assertEquals("-ERR wrong number of arguments for 'set' command", run(e, "set k"));
        assertEquals("-ERR empty command", ReplyText.of(e.execute(0, List.of())));
    }
}
