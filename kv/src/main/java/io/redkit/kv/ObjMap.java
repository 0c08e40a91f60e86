package io.redkit.kv;

/** An {@link OpenTable} with an object per key: the keyspace of a shard, and hash fields (byte[] values). */
class ObjMap extends OpenTable {
    Object[] vals;

    ObjMap(int capacity) {
        super(capacity);
        vals = new Object[keys.length];
    }

    Object get(byte[] k) {
        int i = find(k);
        return i < 0 ? null : vals[i];
    }

    /** Puts the value; returns the previous one or null. The key array is kept when already present. */
    Object put(byte[] k, Object v) {
        int i = findOrInsert(k);
        if (i < 0) {
            vals[~i] = v;
            return null;
        }
        Object old = vals[i];
        vals[i] = v;
        return old;
    }

    Object valAt(int i) {
        return vals[i];
    }

    @Override
    Object values() {
        return vals;
    }

    @Override
    void allocValues(int cap) {
        vals = new Object[cap];
    }

    @Override
    void moveValue(int from, int to) {
        vals[to] = vals[from];
    }

    @Override
    void clearValue(int slot) {
        vals[slot] = null;
    }

    @Override
    void copyValueFrom(Object oldValues, int from, int to) {
        vals[to] = ((Object[]) oldValues)[from];
    }

    @Override
    long tableBytes() {
        return super.tableBytes() + Mem.array(vals.length, Mem.REF);
    }

    /** A shallow copy (same key and value objects). */
    ObjMap copy() {
        ObjMap m = new ObjMap(MIN_CAPACITY);
        m.keys = keys.clone();
        m.mult = mult;
        m.vals = vals.clone();
        m.size = size;
        return m;
    }
}
