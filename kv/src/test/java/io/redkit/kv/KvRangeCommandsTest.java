package io.redkit.kv;

import static io.redkit.kv.Kv.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The Redis 7.0 list/hash/set/sorted-set commands added with the server's coverage test, and how they are logged. */
class KvRangeCommandsTest {
    private final KvEngine e = new KvEngine(new ManualClock(1_000_000));

    private List<String> logged() {
        List<String> logged = new ArrayList<>();
        e.writeLog(new WriteLog() {
            @Override
            public long append(int db, long nowMs, long cutGen, List<byte[]> argv) {
                List<String> words = new ArrayList<>();
                for (byte[] b : argv) {
                    words.add(new String(b, StandardCharsets.UTF_8));
                }
                logged.add(String.join(" ", words));
                return 1;
            }

            @Override
            public boolean await(long ticket) {
                return true;
            }
        });
        return logged;
    }

    @Test
    void listInsertAndPositions() {
        run(e, "RPUSH l a b c b");
        assertEquals(":5", run(e, "LINSERT l AFTER a x"));
        assertEquals(":-1", run(e, "LINSERT l BEFORE zz y"));
        assertEquals("[\"a\", \"x\", \"b\", \"c\", \"b\"]", run(e, "LRANGE l 0 -1"));
        assertEquals(":2", run(e, "LPOS l b"));
        assertEquals(":4", run(e, "LPOS l b RANK -1"));
        assertEquals("[:2, :4]", run(e, "LPOS l b COUNT 0"));
        assertEquals("[]", run(e, "LPOS l b COUNT 0 MAXLEN 2"));
        assertEquals("-ERR COUNT can't be negative", run(e, "LPOS l b COUNT -1"));
    }

    @Test
    void hincrbyfloatIsLoggedAsHsetOfItsResult() {
        List<String> log = logged();
        assertEquals("\"1.6\"", run(e, "HINCRBYFLOAT h f 1.6"));
        // long double arithmetic, as redis-server: a double sum would print -998.4
        assertEquals("\"-998.40000000000000002\"", run(e, "HINCRBYFLOAT h f -1e3"));
        assertEquals(List.of("HSET h f 1.6", "HSET h f -998.40000000000000002"), log);
        assertEquals("-ERR value is NaN or Infinity", run(e, "HINCRBYFLOAT h f inf"));
        assertEquals(":22", run(e, "HSTRLEN h f"));
    }

    @Test
    void randomPicksAreReadsAndSmoveIsLogged() {
        run(e, "SADD s a b c");
        List<String> log = logged();
        assertEquals(3, run(e, "SRANDMEMBER s 5").split(",").length);
        assertEquals(7, run(e, "SRANDMEMBER s -7").split(",").length);
        run(e, "HSET h f v g w");
        assertEquals(4, run(e, "HRANDFIELD h 2 WITHVALUES").split(",").length);
        assertEquals(":2", run(e, "SINTERCARD 1 s LIMIT 2"));
        assertEquals(":1", run(e, "SMOVE s t a"));
        assertEquals("[:0, :1]", run(e, "SMISMEMBER s a b"));
        assertEquals(List.of("HSET h f v g w", "SMOVE s t a"), log);
    }

    @Test
    void sortedSetRanges() {
        run(e, "ZADD z 1 a 2 b 3 c 4 d");
        assertEquals(":2", run(e, "ZCOUNT z (1 3"));
        assertEquals(":3", run(e, "ZLEXCOUNT z (a +"));
        assertEquals("[\"d\", \"c\"]", run(e, "ZREVRANGEBYSCORE z +inf 2 LIMIT 0 2"));
        assertEquals("[\"c\", \"b\"]", run(e, "ZREVRANGEBYLEX z [c (a"));
        assertEquals("[\"d\", \"c\"]", run(e, "ZREVRANGE z 0 1"));
        assertEquals(":2", run(e, "ZRANGESTORE dst z 2 3 BYSCORE"));
        assertEquals("[\"b\", \"c\"]", run(e, "ZRANGE dst 0 -1"));
        assertEquals(":0", run(e, "ZRANGESTORE dst z 5 9 BYSCORE"));
        assertEquals(":0", run(e, "EXISTS dst"));
        assertEquals(":2", run(e, "ZREMRANGEBYRANK z 0 1"));
        assertEquals(":1", run(e, "ZREMRANGEBYLEX z [d +"));
        assertEquals(":1", run(e, "ZREMRANGEBYSCORE z -inf +inf"));
        assertEquals(":0", run(e, "EXISTS z"));
        assertTrue(run(e, "ZRANGE z 0 1 REV REV").startsWith("-ERR syntax error"));
    }
}
