package io.redkit.kv.server;

import io.redkit.kv.EvictionPolicy;
import io.redkit.kv.KvEngine;

/**
 * The server's side of maxmemory: the configured limit and policy are handed to the engine, which evicts by
 * Redis's sampled LRU/LFU/TTL/random policies ({@link KvEngine#evictIfNeeded}); evicted keys touch their watchers
 * and blocked clients as a DEL would.
 */
final class Eviction {
    private Eviction() {
    }

    /** Hands the configured maxmemory, policy and samples to the engine (only what changed is written). */
    static void configure(KvServer server) {
        ServerConfig cfg = server.config;
        KvEngine e = server.engine;
        if (e.maxMemory() != cfg.maxMemory) {
            e.maxMemory(cfg.maxMemory);
        }
        if (!e.maxMemoryPolicy().redisName().equals(cfg.maxMemoryPolicy)) {
            EvictionPolicy p = EvictionPolicy.of(cfg.maxMemoryPolicy);
            e.maxMemoryPolicy(p == null ? EvictionPolicy.NOEVICTION : p);
        }
    }

    /** Evicts until under the limit; false when the policy is noeviction or nothing could be evicted. */
    static boolean evict(KvServer server) {
        configure(server);
        boolean ok = server.engine.evictIfNeeded((db, key) -> server.touched(new DbKey(db, key)));
        server.usedMemory = server.engine.usedMemoryEstimate();
        return ok;
    }
}
