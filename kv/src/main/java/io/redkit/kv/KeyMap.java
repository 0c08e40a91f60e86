package io.redkit.kv;

/**
 * A shard's keyspace: an {@link ObjMap} with a 24-bit access clock per key ({@link AccessClock}) in an int array
 * parallel to the table, so eviction data costs 4 bytes a slot and no object per entry. Reads update the clock
 * under the shard's read lock with a plain int write: two readers racing may lose one update, which only makes a
 * key look a little older (or one access less frequent) to eviction, as Redis tolerates with its own relaxed LRU.
 */
final class KeyMap extends ObjMap {
    int[] access;
    final AccessClock clock;

    KeyMap(int capacity, AccessClock clock) {
        super(capacity);
        this.clock = clock;
        this.access = new int[keys.length];
    }

    /** The live value at the slot after recording an access now (a read, or a write opening the key). */
    Object touchAt(int slot, long nowMs) {
        int[] a = access;
        int old = a[slot];
        int v = clock.touch(old, nowMs);
        if (v != old) {
            // written only when it changes (once a second for LRU): readers of a hot key do not share a dirty line
            a[slot] = v;
        }
        return vals[slot];
    }

    /** Puts a value; a new key gets a fresh access clock, an existing one keeps its clock (and LFU counter). */
    Object put(byte[] k, Object v, long nowMs) {
        int i = findOrInsert(k);
        if (i < 0) {
            vals[~i] = v;
            access[~i] = clock.fresh(nowMs);
            return null;
        }
        Object old = vals[i];
        vals[i] = v;
        return old;
    }

    @Override
    Object put(byte[] k, Object v) {
        return put(k, v, clock.time.nowMs());
    }

    @Override
    Object values() {
        return new Object[] {vals, access};
    }

    @Override
    void allocValues(int cap) {
        vals = new Object[cap];
        access = new int[cap];
    }

    @Override
    void moveValue(int from, int to) {
        vals[to] = vals[from];
        access[to] = access[from];
    }

    @Override
    void clearValue(int slot) {
        vals[slot] = null;
        access[slot] = 0;
    }

    @Override
    void copyValueFrom(Object oldValues, int from, int to) {
        Object[] old = (Object[]) oldValues;
        vals[to] = ((Object[]) old[0])[from];
        access[to] = ((int[]) old[1])[from];
    }

    @Override
    long tableBytes() {
        return super.tableBytes() + Mem.array(access.length, 4);
    }
}
