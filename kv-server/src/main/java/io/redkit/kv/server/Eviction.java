package io.redkit.kv.server;

import io.redkit.kv.Reply;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Frees memory at the maxmemory limit by the configured policy. The engine keeps no access clock, so the LRU, LFU
 * and TTL policies evict like their random counterparts (all keys, or keys with a TTL): keys are taken from a
 * SCAN started at a random cursor of a random database, and deleted until the estimate is under the limit.
 */
final class Eviction {
    private static final byte[] SCAN = "SCAN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COUNT = "COUNT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PTTL = "PTTL".getBytes(StandardCharsets.US_ASCII);

    private Eviction() {
    }

    /** Evicts until under the limit; false when the policy is noeviction or nothing could be evicted. */
    static synchronized boolean evict(KvServer server) {
        ServerConfig cfg = server.config;
        String policy = cfg.maxMemoryPolicy;
        if (policy.equals("noeviction") || cfg.maxMemory <= 0) {
            return cfg.maxMemory <= 0;
        }
        boolean volatileOnly = policy.startsWith("volatile");
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int firstDb = rnd.nextInt(16);
        for (int d = 0; d < 16 && server.usedMemory > cfg.maxMemory; d++) {
            int db = (firstDb + d) % 16;
            if (server.engine.dbSize(db) == 0) {
                continue;
            }
            long cursor = rnd.nextLong(0, 1L << 20);
            boolean wrapped = false;
            for (int step = 0; step < 4096 && server.usedMemory > cfg.maxMemory; step++) {
                Reply r = server.engine.execute(db, List.of(SCAN, Long.toString(cursor)
                        .getBytes(StandardCharsets.US_ASCII), COUNT, "64".getBytes(StandardCharsets.US_ASCII)));
                if (!(r instanceof Reply.Array a) || a.items().size() < 2
                        || !(a.items().get(0) instanceof Reply.Bulk next) || !(a.items().get(1) instanceof Reply.Array ks)) {
                    break;
                }
                for (Reply k : ks.items()) {
                    byte[] key = ((Reply.Bulk) k).data();
                    if (volatileOnly && server.engine.execute(db, List.of(PTTL, key)) instanceof Reply.Int t
                            && t.value() < 0) {
                        continue;
                    }
                    List<byte[]> del = List.of(DEL, key);
                    server.engine.execute(db, del);
                    server.afterWrite(db, server.table.get("del"), del);
                }
                server.usedMemory = server.engine.usedMemory();
                cursor = Long.parseLong(new String(next.data(), StandardCharsets.US_ASCII));
                if (cursor == 0) {
                    if (wrapped) {
                        break;
                    }
                    wrapped = true;
                }
            }
        }
        return server.usedMemory <= cfg.maxMemory;
    }
}
