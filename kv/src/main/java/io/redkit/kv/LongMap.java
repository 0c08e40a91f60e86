package io.redkit.kv;

/** An {@link OpenTable} with a long per key: key and field expiry times, sorted-set scores (as raw bits). */
final class LongMap extends OpenTable {
    long[] vals;

    LongMap(int capacity) {
        super(capacity);
        vals = new long[keys.length];
    }

    /** The value, or {@code dflt} when absent. */
    long get(byte[] k, long dflt) {
        int i = find(k);
        return i < 0 ? dflt : vals[i];
    }

    void put(byte[] k, long v) {
        int i = findOrInsert(k);
        vals[i < 0 ? ~i : i] = v;
    }

    long valAt(int i) {
        return vals[i];
    }

    @Override
    Object values() {
        return vals;
    }

    @Override
    void allocValues(int cap) {
        vals = new long[cap];
    }

    @Override
    void moveValue(int from, int to) {
        vals[to] = vals[from];
    }

    @Override
    void clearValue(int slot) {
        vals[slot] = 0;
    }

    @Override
    void copyValueFrom(Object oldValues, int from, int to) {
        vals[to] = ((long[]) oldValues)[from];
    }

    @Override
    long tableBytes() {
        return super.tableBytes() + Mem.array(vals.length, 8);
    }

    LongMap copy() {
        LongMap m = new LongMap(MIN_CAPACITY);
        m.keys = keys.clone();
        m.mult = mult;
        m.vals = vals.clone();
        m.size = size;
        return m;
    }
}
