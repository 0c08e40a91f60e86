package io.redkit.kv;

import io.redkit.core.event.DataType;

/** A list: a growable ring buffer of element arrays (O(1) push, pop and index at both ends). */
final class KvList extends KvValue {
    private Object[] items = new Object[4];
    private int head;
    private int size;
    private long elemBytes;

    @Override
    DataType type() {
        return DataType.LIST;
    }

    int size() {
        return size;
    }

    @Override
    boolean isEmpty() {
        return size == 0;
    }

    byte[] get(int i) {
        return (byte[]) items[(head + i) & (items.length - 1)];
    }

    void set(int i, byte[] v) {
        int s = (head + i) & (items.length - 1);
        elemBytes += Mem.bytes(v) - Mem.bytes((byte[]) items[s]);
        items[s] = v;
    }

    private void grow() {
        if (size == items.length) {
            Object[] n = new Object[items.length * 2];
            for (int i = 0; i < size; i++) {
                n[i] = items[(head + i) & (items.length - 1)];
            }
            items = n;
            head = 0;
        }
    }

    void addLast(byte[] v) {
        grow();
        items[(head + size) & (items.length - 1)] = v;
        size++;
        elemBytes += Mem.bytes(v);
    }

    void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
        elemBytes += Mem.bytes(v);
    }

    /** Inserts the element at index i (0..size), shifting the elements from i on one place towards the tail. */
    void insert(int i, byte[] v) {
        grow();
        int mask = items.length - 1;
        for (int j = size; j > i; j--) {
            items[(head + j) & mask] = items[(head + j - 1) & mask];
        }
        items[(head + i) & mask] = v;
        size++;
        elemBytes += Mem.bytes(v);
    }

    byte[] pollFirst() {
        byte[] v = (byte[]) items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        elemBytes -= Mem.bytes(v);
        shrink();
        return v;
    }

    byte[] pollLast() {
        int s = (head + size - 1) & (items.length - 1);
        byte[] v = (byte[]) items[s];
        items[s] = null;
        size--;
        elemBytes -= Mem.bytes(v);
        shrink();
        return v;
    }

    private void shrink() {
        if (items.length > 16 && size * 4 < items.length) {
            Object[] n = new Object[items.length / 2];
            for (int i = 0; i < size; i++) {
                n[i] = items[(head + i) & (items.length - 1)];
            }
            items = n;
            head = 0;
        }
    }

    /** Keeps only elements [from, to] (inclusive, already clamped; from > to empties the list). */
    void retain(int from, int to) {
        Object[] n = new Object[Math.max(4, Integer.highestOneBit(Math.max(1, to - from + 1)) << 1)];
        int k = 0;
        long eb = 0;
        for (int i = from; i <= to; i++) {
            byte[] v = get(i);
            n[k++] = v;
            eb += Mem.bytes(v);
        }
        items = n;
        head = 0;
        size = k;
        elemBytes = eb;
    }

    /** Rebuilds the list from the elements whose keep flag is true. */
    void filter(boolean[] keep) {
        Object[] n = new Object[Math.max(4, Integer.highestOneBit(Math.max(1, size)) << 1)];
        int k = 0;
        long eb = 0;
        for (int i = 0; i < size; i++) {
            if (keep[i]) {
                byte[] v = get(i);
                n[k++] = v;
                eb += Mem.bytes(v);
            }
        }
        items = n;
        head = 0;
        size = k;
        elemBytes = eb;
    }

    @Override
    KvList copy() {
        KvList c = new KvList();
        c.items = items.clone();
        c.head = head;
        c.size = size;
        c.elemBytes = elemBytes;
        return c;
    }

    @Override
    long bytes() {
        return Mem.object(16) + Mem.array(items.length, Mem.REF) + elemBytes;
    }
}
