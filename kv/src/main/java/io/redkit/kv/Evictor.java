package io.redkit.kv;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;

/**
 * Redis's approximated eviction over the engine's shards. LRU, LFU and TTL policies: each round samples
 * maxmemory-samples keys per database (from one random non-empty shard, whose keys are a uniform draw of the
 * database's as keys are hashed to shards) into a pool of the 16 best candidates seen so far, kept across rounds,
 * then evicts the best candidate still present. Random policies take a random key of the next database in turn.
 * One evictor runs at a time; sampling takes each shard's read lock, a deletion its write lock.
 */
final class Evictor {
    static final int POOL = 16;
    /** Rounds without finding a key still present before giving up (all pool entries were deleted meanwhile). */
    private static final int MAX_ROUNDS = 1000;

    private final KvEngine engine;
    /** The pool, ascending by score (higher is evicted first), packed from index 0; {@code count} entries. */
    private final long[] score = new long[POOL];
    private final int[] poolDb = new int[POOL];
    private final byte[][] poolKey = new byte[POOL][];
    private int count;
    private int nextDb;
    /** The policy the pool's scores were computed for (scores of different policies do not compare). */
    private EvictionPolicy poolPolicy;
    /** The candidate chosen by the last pick. */
    private int pickedDb;
    private byte[] pickedKey;

    Evictor(KvEngine engine) {
        this.engine = engine;
    }

    /** Evicts until the estimate is at most {@code max}; false for noeviction or when no key can be evicted. */
    synchronized boolean evict(long max, EvictionPolicy p, int samples, KvEngine.EvictionListener listener) {
        if (p == EvictionPolicy.NOEVICTION) {
            return engine.usedMemoryEstimate() <= max;
        }
        if (p != poolPolicy) {
            java.util.Arrays.fill(poolKey, null);
            count = 0;
            poolPolicy = p;
        }
        while (engine.usedMemoryEstimate() > max) {
            boolean found = p.random() ? pickRandom(p.volatileOnly()) : pickFromPool(p, samples);
            if (!found) {
                return false;
            }
            if (engine.evictKey(pickedDb, pickedKey, p.volatileOnly()) && listener != null) {
                listener.evicted(pickedDb, pickedKey);
            }
            pickedKey = null;
        }
        return true;
    }

    private static int size(Shard sh, boolean volatileOnly) {
        return volatileOnly ? sh.expires.size() : sh.main.size();
    }

    /** A random shard of the database with keys to sample (a racy size peek, checked again under the lock). */
    private static Shard someShard(Shard[] shards, boolean volatileOnly, ThreadLocalRandom rnd) {
        int start = rnd.nextInt(shards.length);
        for (int i = 0; i < shards.length; i++) {
            Shard sh = shards[(start + i) & (shards.length - 1)];
            if (size(sh, volatileOnly) > 0) {
                return sh;
            }
        }
        return null;
    }

    private boolean pickRandom(boolean volatileOnly) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < KvEngine.DATABASES; i++) {
            int db = nextDb;
            nextDb = (nextDb + 1) % KvEngine.DATABASES;
            Shard sh = someShard(engine.dbs[db], volatileOnly, rnd);
            if (sh == null) {
                continue;
            }
            Lock l = sh.lock.readLock();
            l.lock();
            try {
                OpenTable t = volatileOnly ? sh.expires : sh.main;
                if (t.size() > 0) {
                    pickedDb = db;
                    pickedKey = t.keyAt(t.randomSlot(rnd));
                    return true;
                }
            } finally {
                l.unlock();
            }
        }
        return false;
    }

    private boolean pickFromPool(EvictionPolicy p, int samples) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean any = false;
            for (int db = 0; db < KvEngine.DATABASES; db++) {
                any |= populate(db, p, samples, rnd);
            }
            if (!any && count == 0) {
                return false;
            }
            // the best candidate still present; a deleted one (a ghost) is dropped and the next tried
            while (count > 0) {
                int k = --count;
                byte[] key = poolKey[k];
                int db = poolDb[k];
                poolKey[k] = null;
                if (engine.readNoTouch(db, key, (v, x, now) -> v != null)) {
                    pickedDb = db;
                    pickedKey = key;
                    return true;
                }
            }
        }
        return false;
    }

    /** Samples keys of the database into the pool; false when the database has none to sample. */
    private boolean populate(int db, EvictionPolicy p, int samples, ThreadLocalRandom rnd) {
        boolean volatileOnly = p.volatileOnly();
        Shard sh = someShard(engine.dbs[db], volatileOnly, rnd);
        if (sh == null) {
            return false;
        }
        Lock l = sh.lock.readLock();
        l.lock();
        try {
            if (size(sh, volatileOnly) == 0) {
                return false;
            }
            long now = engine.now();
            KeyMap m = sh.main;
            for (int i = 0; i < samples; i++) {
                byte[] key;
                long s;
                if (volatileOnly) {
                    int slot = sh.expires.randomSlot(rnd);
                    key = sh.expires.keyAt(slot);
                    if (p.ttl()) {
                        // nearest expiry first, as Redis's ULLONG_MAX - expire
                        s = Long.MAX_VALUE - sh.expires.valAt(slot);
                    } else {
                        int ms = m.find(key);
                        if (ms < 0) {
                            continue;
                        }
                        s = score(p, m.access[ms], now);
                    }
                } else {
                    int slot = m.randomSlot(rnd);
                    key = m.keyAt(slot);
                    s = score(p, m.access[slot], now);
                }
                insert(db, key, s);
            }
            return true;
        } finally {
            l.unlock();
        }
    }

    private static long score(EvictionPolicy p, int access, long now) {
        return p.lfu() ? 255 - AccessClock.decayed(access, now) : AccessClock.idleMs(access, now);
    }

    /** Redis's pool insertion: kept ascending; when full, a better candidate pushes out the worst. */
    private void insert(int db, byte[] key, long s) {
        int k = 0;
        while (k < count && score[k] < s) {
            k++;
        }
        if (k == 0 && count == POOL) {
            return; // worse than every candidate of a full pool
        }
        if (count < POOL) {
            System.arraycopy(score, k, score, k + 1, count - k);
            System.arraycopy(poolDb, k, poolDb, k + 1, count - k);
            System.arraycopy(poolKey, k, poolKey, k + 1, count - k);
            count++;
        } else {
            k--;
            System.arraycopy(score, 1, score, 0, k);
            System.arraycopy(poolDb, 1, poolDb, 0, k);
            System.arraycopy(poolKey, 1, poolKey, 0, k);
        }
        score[k] = s;
        poolDb[k] = db;
        poolKey[k] = key;
    }
}
