package io.redkit.kv;

import static io.redkit.kv.Kv.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** DUMP and RESTORE: payloads recorded from redis-server 7.0.15 restore to the same data; DUMP round-trips. */
class KvDumpRestoreTest {
    /** DUMP replies of redis-server 7.0.15 (hex) and the command that shows the restored value. */
    private static final String[][] REDIS_PAYLOADS = {
        {"000568656c6c6f0a006372df766534200a", "GET k", "\"hello\""},
        {"00c139300a009d94ea2793fc08b9", "GET k", "\"12345\""},
        {"12010210100000000300816102816202816302ff0a00c818b90c9533529e", "LRANGE k 0 -1", "[\"a\", \"b\", \"c\"]"},
        {"1013130000000400816602817602816702817702ff0a00d9dec5c9160fb235", "HGET k g", "\"w\""},
        {"0202017801790a00ac3a8d681184aa31", "SCARD k", ":2"},
        {"0b0e02000000030000000100020003000a00a5025ce26d6e4d1b", "SISMEMBER k 3", ":1"},
        {"111414000000040081610283312e35048162020201ff0a00fa02b425af188763", "ZRANGE k 0 -1 WITHSCORES",
            "[\"a\", \"1.5\", \"b\", \"2\"]"},
        {"130110000000000000000100000000000000011d1d0000000a0001010001010181660200010201000100018176020401ff010101"
            + "0101000001000a00ff55ab626ac035db", "XRANGE k - +", "[[\"1-1\", [\"f\", \"v\"]]]"},
    };

    private static List<byte[]> argv(Object... parts) {
        List<byte[]> out = new ArrayList<>();
        for (Object p : parts) {
            out.add(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void restoresPayloadsOfRedis70() {
        for (String[] c : REDIS_PAYLOADS) {
            KvEngine e = new KvEngine();
            byte[] p = HexFormat.of().parseHex(c[0]);
            assertEquals("+OK", ReplyText.of(e.execute(0, argv("RESTORE", "k", "0", p))), c[0]);
            assertEquals(c[2], run(e, c[1]), c[0]);
            assertEquals(":-1", run(e, "TTL k"));
            assertEquals("-BUSYKEY Target key name already exists.",
                    ReplyText.of(e.execute(0, argv("RESTORE", "k", "0", p))));
            assertEquals("+OK", ReplyText.of(e.execute(0, argv("RESTORE", "k", "5000", p, "REPLACE"))));
            assertTrue(run(e, "PTTL k").startsWith(":"), c[0]);
        }
    }

    @Test
    void dumpRoundTripsEveryType() {
        KvEngine e = new KvEngine();
        run(e, "SET s hello");
        run(e, "SET i 123");
        run(e, "RPUSH l a b c");
        run(e, "HSET h f v g w");
        run(e, "SADD st x y 1");
        run(e, "ZADD z 1.5 a 2 b");
        run(e, "XADD x 1-1 f v");
        run(e, "XADD x 2-1 g w");
        String[][] checks = {{"s", "GET"}, {"i", "GET"}, {"l", "LRANGE %s 0 -1"}, {"h", "HGET %s g"}, {"h", "HLEN"},
            {"st", "SCARD"}, {"z", "ZRANGE %s 0 -1 WITHSCORES"}, {"x", "XRANGE %s - +"}};
        for (String[] c : checks) {
            byte[] payload = ((Reply.Bulk) e.execute(0, argv("DUMP", c[0]))).data();
            String cmd = c[1].contains("%s") ? c[1] : c[1] + " %s";
            String want = run(e, String.format(cmd, c[0]));
            assertEquals("+OK", ReplyText.of(e.execute(0, argv("RESTORE", c[0] + "2", "0", payload, "REPLACE"))),
                    c[0]);
            assertEquals(want, run(e, String.format(cmd, c[0] + "2")), c[0]);
            assertEquals(run(e, "TYPE " + c[0]), run(e, "TYPE " + c[0] + "2"));
        }
    }

    @Test
    void badPayloadsAndOptions() {
        KvEngine e = new KvEngine();
        run(e, "SET s hello");
        byte[] good = ((Reply.Bulk) e.execute(0, argv("DUMP", "s"))).data();
        assertEquals("(nil)", run(e, "DUMP nokey"));
        byte[] flipped = good.clone();
        flipped[2] ^= 1;
        assertEquals("-ERR DUMP payload version or checksum are wrong",
                ReplyText.of(e.execute(0, argv("RESTORE", "k", "0", flipped))));
        byte[] future = good.clone();
        future[future.length - 10] = 99;
        assertEquals("-ERR DUMP payload version or checksum are wrong",
                ReplyText.of(e.execute(0, argv("RESTORE", "k", "0", future))));
        assertEquals("-ERR DUMP payload version or checksum are wrong", run(e, "RESTORE k 0 short"));
        assertEquals("-ERR Invalid TTL value, must be >= 0",
                ReplyText.of(e.execute(0, argv("RESTORE", "k", "-1", good))));
        assertEquals("-ERR syntax error", ReplyText.of(e.execute(0, argv("RESTORE", "k", "0", good, "FOO"))));
        // ABSTTL in the past: OK, and the key is not there
        assertEquals("+OK", ReplyText.of(e.execute(0, argv("RESTORE", "k", "1", good, "ABSTTL"))));
        assertEquals(":0", run(e, "EXISTS k"));
        long at = System.currentTimeMillis() + 100_000;
        assertEquals("+OK", ReplyText.of(e.execute(0, argv("RESTORE", "k", at, good, "ABSTTL", "IDLETIME", "5"))));
        assertEquals(":" + at, run(e, "PEXPIRETIME k"));
    }
}
