package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * maxmemory eviction by Redis's sampled policies. As Redis's own LRU check: fill to the limit, keep touching a hot
 * tenth of the keys while more keys arrive, and the hot keys survive while cold ones go. The thresholds are far
 * from what the policies reach (hot keys all survive in practice) and from what random eviction would give, so
 * the tests do not flake; time is a manual clock.
 */
class KvEvictionTest {
    private static final int KEYS = 1000;
    private static final int HOT = 100;
    private static final String VALUE = "v".repeat(100);

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    private KvEngine filled(EvictionPolicy policy) {
        KvEngine e = new KvEngine(clock, 4);
        e.maxMemoryPolicy(policy);
        for (int i = 0; i < KEYS; i++) {
            Kv.run(e, "SET " + key("old", i) + " " + VALUE);
        }
        e.maxMemory(e.usedMemoryEstimate());
        return e;
    }

    private static String key(String prefix, int i) {
        return String.format("%s:%05d", prefix, i);
    }

    /** Adds keys as a server would: eviction before each write. */
    private static void add(KvEngine e, String key, List<byte[]> evicted) {
        assertTrue(e.evictIfNeeded((db, k) -> evicted.add(k)), "nothing to evict");
        assertEquals("+OK", Kv.run(e, "SET " + key + " " + VALUE));
    }

    private static double survivors(KvEngine e, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += Kv.run(e, "EXISTS " + key("old", i)).equals(":1") ? 1 : 0;
        }
        return n / (double) (to - from);
    }

    @Test
    void lruKeepsTheKeysInUse() {
        KvEngine e = filled(EvictionPolicy.ALLKEYS_LRU);
        List<byte[]> evicted = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            if (i % 10 == 0) {
                clock.advance(1000);
                for (int h = 0; h < HOT; h++) {
                    Kv.run(e, "GET " + key("old", h));
                }
            }
            add(e, key("new", i), evicted);
        }
        double hot = survivors(e, 0, HOT);
        double cold = survivors(e, HOT, KEYS);
        System.out.printf("allkeys-lru: %d evicted, hot kept %.2f, cold kept %.2f%n", evicted.size(), hot, cold);
        assertTrue(evicted.size() > 500, "evicted " + evicted.size());
        assertTrue(hot >= 0.8, "hot keys kept: " + hot);
        assertTrue(cold <= 0.5, "cold keys kept: " + cold);
        // the last write went over the limit after its check, as in Redis; the next check brings it back
        assertTrue(e.evictIfNeeded(null));
        assertTrue(e.usedMemoryEstimate() <= e.maxMemory());
        assertEquals(e.usedMemory(), e.usedMemoryEstimate(), "the running estimate is the locked sum");
    }

    @Test
    void lfuKeepsTheKeysUsedOften() {
        KvEngine e = filled(EvictionPolicy.ALLKEYS_LFU);
        // three minutes in which the hot keys are read often: the others decay by one a minute
        for (int m = 0; m < 3; m++) {
            clock.advance(60_000);
            for (int r = 0; r < 20; r++) {
                for (int h = 0; h < HOT; h++) {
                    Kv.run(e, "GET " + key("old", h));
                }
            }
        }
        long hotFreq = Long.parseLong(Kv.run(e, "OBJECT FREQ " + key("old", 0)).substring(1));
        long coldFreq = Long.parseLong(Kv.run(e, "OBJECT FREQ " + key("old", HOT)).substring(1));
        assertTrue(hotFreq > coldFreq, hotFreq + " <= " + coldFreq);
        assertEquals(AccessClock.LFU_INIT - 3, coldFreq, "decay of one per idle minute");
        List<byte[]> evicted = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            add(e, key("new", i), evicted);
            Kv.run(e, "GET " + key("new", i));
        }
        double hot = survivors(e, 0, HOT);
        double cold = survivors(e, HOT, KEYS);
        System.out.printf("allkeys-lfu: %d evicted, hot kept %.2f, cold kept %.2f%n", evicted.size(), hot, cold);
        assertTrue(hot >= 0.8, "hot keys kept: " + hot);
        assertTrue(cold <= 0.5, "cold keys kept: " + cold);
    }

    @Test
    void volatileTtlEvictsTheNearestExpiriesAndOnlyKeysWithATtl() {
        KvEngine e = new KvEngine(clock, 4);
        e.maxMemoryPolicy(EvictionPolicy.VOLATILE_TTL);
        for (int i = 0; i < 200; i++) {
            Kv.run(e, "SET " + key("ttl", i) + " " + VALUE + " EX " + (i + 1));
            Kv.run(e, "SET " + key("old", i) + " " + VALUE);
        }
        e.maxMemory(e.usedMemoryEstimate());
        List<byte[]> evicted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            add(e, key("new", i), evicted);
        }
        assertEquals(1.0, survivors(e, 0, 200), "keys without a TTL are never evicted");
        long sum = 0;
        for (byte[] k : evicted) {
            String s = new String(k, java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(s.startsWith("ttl:"), s);
            sum += Integer.parseInt(s.substring(4)) + 1;
        }
        double mean = sum / (double) evicted.size();
        System.out.printf("volatile-ttl: %d evicted, mean TTL %.1f s (uniform 1..200 s: 100.5)%n", evicted.size(), mean);
        assertTrue(evicted.size() >= 40, "evicted " + evicted.size());
        assertTrue(mean < 85, "mean TTL of the evicted keys: " + mean);
    }

    @Test
    void randomAndVolatilePoliciesStopWhenNothingIsLeft() {
        KvEngine e = filled(EvictionPolicy.VOLATILE_LRU);
        e.maxMemory(e.usedMemoryEstimate() - 1);
        assertFalse(e.evictIfNeeded(null), "no key has a TTL");
        e.maxMemoryPolicy(EvictionPolicy.ALLKEYS_RANDOM);
        assertTrue(e.evictIfNeeded(null));
        assertEquals(KEYS - 1, e.dbSize(0));
        e.maxMemory(1);
        assertFalse(e.evictIfNeeded(null), "the tables alone are over the limit");
        assertEquals(0, e.dbSize(0));
    }

    @Test
    void noevictionRefusesWithRedissError() {
        KvEngine e = filled(EvictionPolicy.NOEVICTION);
        assertTrue(e.evictIfNeeded(null));
        Kv.run(e, "SET one-more " + VALUE);
        assertFalse(e.evictIfNeeded(null));
        assertEquals(KEYS + 1, e.dbSize(0));
        assertEquals("-OOM command not allowed when used memory > 'maxmemory'.", ReplyText.of(KvEngine.OOM));
        e.maxMemory(0);
        assertTrue(e.evictIfNeeded(null));
    }

    @Test
    void keysCountAsLoadedWhenAStoreReopensAndAfterAPolicySwitch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (io.redkit.kv.persist.KvStore st = io.redkit.kv.persist.KvStore.open(dir,
                KvStoreTest.opts(clock, io.redkit.kv.persist.AofLog.Fsync.ALWAYS))) {
            Kv.run(st.engine(), "SET k v");
            clock.advance(100_000);
        }
        clock.advance(50_000);
        try (io.redkit.kv.persist.KvStore st = io.redkit.kv.persist.KvStore.open(dir,
                KvStoreTest.opts(clock, io.redkit.kv.persist.AofLog.Fsync.ALWAYS))) {
            KvEngine e = st.engine();
            assertEquals(":0", Kv.run(e, "OBJECT IDLETIME k"), "the replay's clock is not the key's access");
            clock.advance(7_000);
            assertEquals(":7", Kv.run(e, "OBJECT IDLETIME k"));
            e.maxMemoryPolicy(EvictionPolicy.VOLATILE_LFU);
            assertEquals(":5", Kv.run(e, "OBJECT FREQ k"), "an LFU policy starts every key at the initial count");
        }
    }

    @Test
    void objectIdletimeAndFreqAsRedis() {
        KvEngine e = new KvEngine(clock, 4);
        Kv.run(e, "SET k v");
        clock.advance(10_500);
        assertEquals(":10", Kv.run(e, "OBJECT IDLETIME k"));
        Kv.run(e, "TYPE k");
        Kv.run(e, "EXISTS k");
        Kv.run(e, "TTL k");
        assertEquals(":10", Kv.run(e, "OBJECT IDLETIME k"), "TYPE, EXISTS and TTL do not touch");
        Kv.run(e, "GET k");
        assertEquals(":0", Kv.run(e, "OBJECT IDLETIME k"));
        assertEquals("(nil)", Kv.run(e, "OBJECT IDLETIME nokey"));
        assertEquals("(nil)", Kv.run(e, "OBJECT FREQ nokey"));
        assertEquals("-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note"
                + " that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
                Kv.run(e, "OBJECT FREQ k"));
        assertEquals("-ERR wrong number of arguments for 'object|freq' command", Kv.run(e, "OBJECT FREQ"));
        e.maxMemoryPolicy(EvictionPolicy.ALLKEYS_LFU);
        assertEquals("-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when"
                + " switching between policies at runtime LRU and LFU data will take some time to adjust.",
                Kv.run(e, "OBJECT IDLETIME k"));
        Kv.run(e, "SET fresh v");
        assertEquals(":5", Kv.run(e, "OBJECT FREQ fresh"));
        Kv.run(e, "GET fresh");
        assertEquals(":6", Kv.run(e, "OBJECT FREQ fresh"), "from 5 the first access always counts");
        clock.advance(2 * 60_000);
        assertEquals(":4", Kv.run(e, "OBJECT FREQ fresh"));
        assertEquals(EvictionPolicy.ALLKEYS_LFU, EvictionPolicy.of("allkeys-lfu"));
    }
}
