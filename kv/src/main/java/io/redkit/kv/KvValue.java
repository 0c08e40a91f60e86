package io.redkit.kv;

import io.redkit.core.event.DataType;

/**
 * A collection value (strings are plain {@code byte[]} in the keyspace, with no wrapper). Each keeps an O(1)
 * estimate of its heap bytes so the engine's memory figure is maintained incrementally.
 */
abstract class KvValue {
    /**
     * The snapshot generation this object is frozen for: while that snapshot runs, the snapshot holds this object
     * and a writer must replace it with a copy before changing it. Set and read under the shard's lock.
     */
    long frozenGen;

    /** The user-visible type. */
    abstract DataType type();

    /** A deep copy of the structure (element arrays are shared: they are never modified in place). */
    abstract KvValue copy();

    /** Estimated heap bytes of the value and its elements. */
    abstract long bytes();

    /** True when the value has no elements (the key then disappears, as in Redis). */
    abstract boolean isEmpty();

    /** The TYPE name. */
    static String typeName(Object v) {
        if (v instanceof KvModule m) {
            return m.moduleType; // Redis's TYPE names a module value by its module type
        }
        return v instanceof byte[] ? "string" : ((KvValue) v).type().id();
    }

    /** Heap bytes of any value. */
    static long bytesOf(Object v) {
        return v instanceof byte[] b ? Mem.bytes(b) : ((KvValue) v).bytes();
    }
}
