package io.redkit.kv;

import io.redkit.core.Bytes;
import io.redkit.core.event.DataType;

import java.util.Comparator;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A sorted set: member to score in a {@link LongMap} (raw double bits) and the (score, member) order in a red-black
 * tree. Ranks are found by walking from the nearer end (O(rank)); a rank-indexed skip list can replace the tree when
 * ZRANGE by deep ranks on big sets matters.
 */
final class KvZSet extends KvValue {
    /** An element of the order; {@code bound} makes range probes sort before (-1) or after (+1) equal scores. */
    static final class Entry {
        final byte[] member;
        final double score;
        final int bound;

        Entry(byte[] member, double score, int bound) {
            this.member = member;
            this.score = score;
            this.bound = bound;
        }
    }

    static final Comparator<Entry> ORDER = (a, b) -> {
        if (a.score < b.score) {
            return -1;
        }
        if (a.score > b.score) {
            return 1;
        }
        if (a.bound != 0 || b.bound != 0) {
            return Integer.compare(a.bound, b.bound);
        }
        return Bytes.compare(a.member, b.member);
    };

    LongMap scores = new LongMap(4);
    TreeSet<Entry> order = new TreeSet<>(ORDER);
    long elemBytes;

    @Override
    DataType type() {
        return DataType.ZSET;
    }

    int size() {
        return scores.size();
    }

    @Override
    boolean isEmpty() {
        return scores.size() == 0;
    }

    /** The member's score, or NaN when absent. */
    double score(byte[] m) {
        int i = scores.find(m);
        return i < 0 ? Double.NaN : Double.longBitsToDouble(scores.valAt(i));
    }

    /** Sets the member's score; true when the member is new. */
    boolean put(byte[] m, double score) {
        int i = scores.findOrInsert(m);
        if (i < 0) {
            scores.vals[~i] = Double.doubleToRawLongBits(score);
            order.add(new Entry(m, score, 0));
            elemBytes += Mem.bytes(m) + 72;
            return true;
        }
        byte[] stored = scores.keyAt(i);
        double old = Double.longBitsToDouble(scores.vals[i]);
        if (Double.doubleToRawLongBits(old) != Double.doubleToRawLongBits(score)) {
            order.remove(new Entry(stored, old, 0));
            scores.vals[i] = Double.doubleToRawLongBits(score);
            order.add(new Entry(stored, score, 0));
        }
        return false;
    }

    boolean remove(byte[] m) {
        int i = scores.find(m);
        if (i < 0) {
            return false;
        }
        byte[] stored = scores.keyAt(i);
        order.remove(new Entry(stored, Double.longBitsToDouble(scores.valAt(i)), 0));
        scores.removeAt(i);
        elemBytes -= Mem.bytes(stored) + 72;
        return true;
    }

    /** Entries with min <= score <= max (each end exclusive on request), ascending or descending. */
    Iterator<Entry> byScore(double min, boolean minEx, double max, boolean maxEx, boolean rev) {
        if (min > max || (min == max && (minEx || maxEx))) {
            return java.util.Collections.emptyIterator();
        }
        NavigableSet<Entry> s = order.subSet(new Entry(null, min, minEx ? 1 : -1), false,
                new Entry(null, max, maxEx ? -1 : 1), false);
        return rev ? s.descendingIterator() : s.iterator();
    }

    @Override
    KvZSet copy() {
        KvZSet c = new KvZSet();
        c.scores = scores.copy();
        c.order = new TreeSet<>(order);
        c.elemBytes = elemBytes;
        return c;
    }

    @Override
    long bytes() {
        // 72 per member above: the Entry (32) and the tree node (40)
        return Mem.object(12) + Mem.object(8) + scores.tableBytes() + Mem.object(16) + elemBytes;
    }
}
