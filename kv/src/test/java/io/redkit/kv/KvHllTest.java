package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * HyperLogLog strings equal Redis's byte for byte: the values below are what a real server left in an AOF fixture
 * (replicator-appendonly5's expected dump) after the same commands. KvHllIT compares dense promotion, merges and
 * counts with a live redis-server.
 */
class KvHllTest {
    private static byte[] get(KvEngine e, String key) {
        return ((Reply.Bulk) e.execute(0, List.of(Args.ascii("GET"), Args.ascii(key)))).data();
    }

    @Test
    void sparseEncodingAsRedisWroteIt() {
        KvEngine e = new KvEngine();
        assertEquals(":1", Kv.run(e, "PFADD hll1 foo bar zap a"));
        assertEquals(":1", Kv.run(e, "PFADD hll2 a b c foo"));
        assertEquals("+OK", Kv.run(e, "PFMERGE hll3 hll1 hll2"));
        assertEquals(":1", Kv.run(e, "PFADD hll5 a b c d e f g"));
        assertEquals(":1", Kv.run(e, "PFADD hll5 foo bar zap"));
        assertEquals(":0", Kv.run(e, "PFADD hll5 foo"));
        assertEquals(":10", Kv.run(e, "PFCOUNT hll5"));
        Base64.Decoder d = Base64.getDecoder();
        assertArrayEquals(d.decode("SFlMTAEAAAAAAAAAAAAAgFyzkEIHhEhYgEqOhE5X"), get(e, "hll1"));
        assertArrayEquals(d.decode("SFlMTAEAAAAAAAAAAAAAgFyzkEQ+gFCxhEv7gEJa"), get(e, "hll2"));
        assertArrayEquals(d.decode("SFlMTAEAAAAAAAAAAAAAgFyzkEIHhEI1gEYhgEqOhEv7gEJa"), get(e, "hll3"));
        assertArrayEquals(d.decode("SFlMTAEAAAAKAAAAAAAAAEZtgFYMgDaQQgeEQfuEOIBGIYBKjoRJjIBCbYBCWg=="), get(e, "hll5"));
        assertEquals(":6", Kv.run(e, "PFCOUNT hll1 hll2"));
    }

    @Test
    void errorsAsRedis() {
        KvEngine e = new KvEngine();
        Kv.run(e, "SET s notanhll");
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.", Kv.run(e, "PFADD s a"));
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.", Kv.run(e, "PFCOUNT s"));
        Kv.run(e, "RPUSH l a");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value", Kv.run(e, "PFADD l a"));
        assertEquals(":1", Kv.run(e, "PFADD empty"));
        assertEquals(":0", Kv.run(e, "PFCOUNT empty"));
        assertEquals(":0", Kv.run(e, "PFCOUNT missing"));
    }

    @Test
    void manyElementsTurnDenseAndCountClose() {
        KvEngine e = new KvEngine();
        for (int i = 0; i < 20_000; i += 100) {
            StringBuilder cmd = new StringBuilder("PFADD big");
            for (int j = i; j < i + 100; j++) {
                cmd.append(" e").append(j);
            }
            Kv.run(e, cmd.toString());
        }
        byte[] h = get(e, "big");
        assertEquals(Hll.DENSE_SIZE, h.length);
        long n = Long.parseLong(Kv.run(e, "PFCOUNT big").substring(1));
        assertTrue(Math.abs(n - 20_000) < 20_000 * 0.03, "estimate " + n);
    }
}
