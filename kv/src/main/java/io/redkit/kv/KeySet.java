package io.redkit.kv;

/** An {@link OpenTable} of keys only: the members of a set. */
final class KeySet extends OpenTable {
    KeySet(int capacity) {
        super(capacity);
    }

    /** Adds the member; true when it was new. */
    boolean add(byte[] k) {
        return findOrInsert(k) < 0;
    }

    boolean contains(byte[] k) {
        return find(k) >= 0;
    }

    @Override
    Object values() {
        return null;
    }

    @Override
    void allocValues(int cap) {
    }

    @Override
    void moveValue(int from, int to) {
    }

    @Override
    void clearValue(int slot) {
    }

    @Override
    void copyValueFrom(Object oldValues, int from, int to) {
    }

    KeySet copy() {
        KeySet s = new KeySet(MIN_CAPACITY);
        s.keys = keys.clone();
        s.mult = mult;
        s.size = size;
        return s;
    }
}
