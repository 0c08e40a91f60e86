package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.event.Event;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StringPart;
import io.redkit.core.sink.EventSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Several threads at once: no lost updates, atomic multi-key writes, complete scans, consistent snapshots. */
class KvConcurrencyTest {
    private static List<byte[]> argv(String... a) {
        List<byte[]> l = new ArrayList<>(a.length);
        for (String s : a) {
            l.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return l;
    }

    private static void runThreads(int n, java.util.function.IntConsumer body) throws Exception {
        List<Thread> ts = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    body.accept(id);
                } catch (Throwable ex) {
                    errors.add(ex);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(errors.peek());
        }
    }

    @Test
    void noLostUpdatesFromManyThreads() throws Exception {
        KvEngine e = new KvEngine();
        int threads = 4;
        int n = 5000;
        runThreads(threads, id -> {
            for (int i = 0; i < n; i++) {
                e.execute(0, argv("INCR", "counter:" + (i % 10)));
                e.execute(0, argv("RPUSH", "list", "t" + id));
                e.execute(0, argv("HINCRBY", "hash", "f" + (i % 3), "1"));
                e.execute(0, argv("SADD", "set:" + id, "m" + i));
                e.execute(0, argv("ZINCRBY", "zset", "1", "m" + (i % 7)));
                e.execute(1, argv("SET", "own:" + id + ":" + i, "v"));
                if (i % 2 == 1) {
                    e.execute(1, argv("DEL", "own:" + id + ":" + (i - 1)));
                }
            }
        });
        long sum = 0;
        for (int c = 0; c < 10; c++) {
            sum += Long.parseLong(new String(((Reply.Bulk) e.execute(0, argv("GET", "counter:" + c))).data()));
        }
        assertEquals((long) threads * n, sum);
        assertEquals(Reply.integer((long) threads * n), e.execute(0, argv("LLEN", "list")));
        assertEquals(Reply.integer(threads * n / 2), e.execute(1, argv("DBSIZE")));
        double zsum = 0;
        for (int m = 0; m < 7; m++) {
            zsum += ((Reply.Dbl) e.execute(0, argv("ZSCORE", "zset", "m" + m))).value();
        }
        assertEquals(threads * n, zsum);
        for (int t = 0; t < threads; t++) {
            assertEquals(Reply.integer(n), e.execute(0, argv("SCARD", "set:" + t)));
        }
    }

    @Test
    void renamesAcrossShardsNeitherLoseNorDuplicate() throws Exception {
        KvEngine e = new KvEngine();
        int tokens = 64;
        for (int i = 0; i < tokens; i++) {
            e.execute(0, argv("SET", "slot:" + i, "token" + i));
        }
        // threads move tokens between slots with RENAMENX; a token is never lost or copied
        runThreads(4, id -> {
            java.util.Random r = new java.util.Random(id);
            for (int i = 0; i < 20_000; i++) {
                e.execute(0, argv("RENAMENX", "slot:" + r.nextInt(tokens * 2), "slot:" + r.nextInt(tokens * 2)));
            }
        });
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tokens * 2; i++) {
            Reply r = e.execute(0, argv("GET", "slot:" + i));
            if (r instanceof Reply.Bulk b) {
                assertTrue(seen.add(new String(b.data())), "duplicate token");
            }
        }
        assertEquals(tokens, seen.size());
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutDespiteConcurrentWrites() throws Exception {
        KvEngine e = new KvEngine();
        int stable = 20_000;
        for (int i = 0; i < stable; i++) {
            e.execute(0, argv("SET", "stable:" + i, "v"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    // inserts grow the tables (rehash), deletes shrink them again
                    e.execute(0, argv("SET", "new:" + id + ":" + i, "v"));
                    if (i % 3 == 0 && i > 0) {
                        e.execute(0, argv("DEL", "new:" + id + ":" + (i - 3)));
                    }
                    i++;
                }
            });
            writers.add(w);
            w.start();
        }
        Set<String> got = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            Reply.Array r = (Reply.Array) e.execute(0, argv("SCAN", cursor, "COUNT", "20"));
            cursor = new String(((Reply.Bulk) r.items().get(0)).data());
            for (Reply k : ((Reply.Array) r.items().get(1)).items()) {
                got.add(new String(((Reply.Bulk) k).data()));
            }
            calls++;
            if (calls % 50 == 0) {
                Thread.yield();
            }
        } while (!cursor.equals("0"));
        stop.set(true);
        for (Thread w : writers) {
            w.join();
        }
        int missing = 0;
        for (int i = 0; i < stable; i++) {
            if (!got.contains("stable:" + i)) {
                missing++;
            }
        }
        assertEquals(0, missing, "stable keys missed by the scan (" + calls + " calls, db now "
                + e.dbSize(0) + " keys)");
    }

    @Test
    void snapshotIsAConsistentCutWhileWritersRun() throws Exception {
        KvEngine e = new KvEngine();
        int pairs = 2000;
        for (int i = 0; i < pairs; i++) {
            e.execute(0, argv("MSET", "a:" + i, "0", "b:" + i, "0"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong maxStallNs = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                java.util.Random r = new java.util.Random(id);
                long v = 0;
                while (!stop.get()) {
                    int i = r.nextInt(pairs);
                    String val = id + "-" + (v++);
                    long t0 = System.nanoTime();
                    // a and b of a pair usually live in different shards: MSET must land wholly in or out
                    e.execute(0, argv("MSET", "a:" + i, val, "b:" + i, val));
                    long dt = System.nanoTime() - t0;
                    maxStallNs.accumulateAndGet(dt, Math::max);
                    writes.incrementAndGet();
                }
            });
            writers.add(w);
            w.start();
        }
        Thread.sleep(100);
        int snapshots = 0;
        for (int round = 0; round < 5; round++) {
            Map<String, String> values = new HashMap<>();
            EventSource src = e.snapshot();
            Event ev;
            String key = null;
            while ((ev = src.next()) != null) {
                if (ev instanceof KeyStart ks) {
                    key = new String(ks.header().key());
                } else if (ev instanceof StringPart sp) {
                    values.put(key, new String(sp.data()));
                }
                // a slow consumer: writers keep going meanwhile
                if (values.size() % 500 == 0) {
                    Thread.sleep(1);
                }
            }
            snapshots++;
            assertEquals(2 * pairs, values.size());
            for (int i = 0; i < pairs; i++) {
                assertEquals(values.get("a:" + i), values.get("b:" + i), "pair " + i + " torn in snapshot " + round);
            }
        }
        stop.set(true);
        for (Thread w : writers) {
            w.join();
        }
        System.out.println(snapshots + " snapshots during " + writes.get() + " MSETs; longest MSET "
                + maxStallNs.get() / 1000 + " us");
        assertTrue(writes.get() > 0);
    }
}
