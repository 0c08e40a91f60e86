package io.redkit.kv;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One lock's worth of a database's keyspace: keys to values, and keys with a TTL to their expiry time (a second
 * table, as Redis's expires dict, so keys without TTL pay nothing for it). Reads take the read lock and never
 * mutate; writes take the write lock.
 */
final class Shard {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Position in the engine: database and index, which also name its slot in a snapshot. */
    final int db;
    final int index;
    final AccessClock access;
    KeyMap main;
    LongMap expires = new LongMap(4);
    /** Estimated bytes of keys and values (tables excluded), maintained by every write. */
    long dataBytes;
    /** The generation of the last snapshot this shard was copied for. */
    long copiedGen;

    Shard(int db, int index, AccessClock access) {
        this.db = db;
        this.index = index;
        this.access = access;
        this.main = new KeyMap(4, access);
    }

    /** Empties the shard (FLUSHDB). */
    void clear() {
        main = new KeyMap(4, access);
        expires = new LongMap(4);
        dataBytes = 0;
    }

    /** Expiry of the key at the slot of {@link #main}, or -1. */
    long expireOf(byte[] key) {
        return expires.size() == 0 ? -1 : expires.get(key, -1);
    }

    /** Estimated heap bytes of one entry. */
    static long entryBytes(byte[] key, Object value, boolean ttl) {
        return Mem.bytes(key) + KvValue.bytesOf(value) + (ttl ? Mem.REF + 8 : 0);
    }

    long usedBytes() {
        return Mem.object(40) + 64 + main.tableBytes() + expires.tableBytes() + dataBytes;
    }

    /**
     * A point-in-time copy for snapshot generation {@code gen}: the tables are copied (references only) and every
     * collection value is frozen for that generation instead of copied, so the copy costs O(keys) and no element is
     * touched. A writer that later opens a frozen value clones it first ({@link KeyRef}); strings need nothing as
     * they are never modified in place.
     */
    ShardCopy copy(long gen) {
        ObjMap m = main.copy();
        for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
            if (m.vals[i] instanceof KvValue kv) {
                kv.frozenGen = gen;
            }
        }
        return new ShardCopy(m, expires.size() == 0 ? null : expires.copy());
    }

    /** A copied shard held by a snapshot. */
    record ShardCopy(ObjMap main, LongMap expires) {
    }
}
