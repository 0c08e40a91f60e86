package io.redkit.kv;

import java.util.Locale;

/** What the engine does at its maxmemory limit, named as Redis's {@code maxmemory-policy} values. */
public enum EvictionPolicy {
    /** Refuse commands that may grow memory (Redis's OOM error); evict nothing. */
    NOEVICTION(false, false, false),
    /** Evict the least recently used of a sample of all keys. */
    ALLKEYS_LRU(false, false, false),
    /** Evict the least frequently used of a sample of all keys. */
    ALLKEYS_LFU(false, false, true),
    /** Evict random keys. */
    ALLKEYS_RANDOM(false, false, false),
    /** Evict the least recently used of a sample of keys with a TTL. */
    VOLATILE_LRU(true, false, false),
    /** Evict the least frequently used of a sample of keys with a TTL. */
    VOLATILE_LFU(true, false, true),
    /** Evict random keys with a TTL. */
    VOLATILE_RANDOM(true, false, false),
    /** Evict the keys with the nearest expiry of a sample of keys with a TTL. */
    VOLATILE_TTL(true, true, false);

    private final boolean volatileOnly;
    private final boolean ttl;
    private final boolean lfu;
    private final String redisName;

    EvictionPolicy(boolean volatileOnly, boolean ttl, boolean lfu) {
        this.volatileOnly = volatileOnly;
        this.ttl = ttl;
        this.lfu = lfu;
        this.redisName = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True when only keys with a TTL may be evicted. */
    public boolean volatileOnly() {
        return volatileOnly;
    }

    /** True for the LFU policies (the access clock counts frequency, OBJECT FREQ answers). */
    public boolean lfu() {
        return lfu;
    }

    boolean ttl() {
        return ttl;
    }

    boolean random() {
        return this == ALLKEYS_RANDOM || this == VOLATILE_RANDOM;
    }

    /** The Redis name, e.g. {@code allkeys-lru}. */
    public String redisName() {
        return redisName;
    }

    /** The policy of a Redis name (case-insensitive), or null when there is none. */
    public static EvictionPolicy of(String redisName) {
        for (EvictionPolicy p : values()) {
            if (p.redisName().equalsIgnoreCase(redisName)) {
                return p;
            }
        }
        return null;
    }
}
