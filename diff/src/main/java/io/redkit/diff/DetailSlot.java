package io.redkit.diff;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyHeader;

import java.util.BitSet;
import java.util.function.Consumer;

/**
 * What the detail passes gather for one differing key. A small value is gathered whole in the first
 * detail pass. A big one is first summarised in {@link Buckets} on both sides; a second pass then gathers
 * only the elements of the buckets that differ, so the exact difference of a huge value costs little memory.
 */
final class DetailSlot {
    private final long cap;
    private final boolean big;
    private final long span;
    final KeyValue[] values = new KeyValue[2];
    private Buckets[] buckets = new Buckets[2];
    private BitSet keep;
    private boolean gathering;

    /**
     * @param type    the key's type on both sides
     * @param maxSize the larger of the two sides' sizes (elements, or bytes of a string)
     * @param cap     heap bytes one side's gathered value may take
     */
    DetailSlot(DataType type, long maxSize, long cap) {
        this.cap = cap;
        this.big = type == DataType.STRING ? maxSize > cap / 2 : maxSize > cap / 256;
        this.span = Buckets.spanFor(maxSize);
    }

    /** The consumer of the key's value parts on {@code side} in the current pass, or null to skip the key. */
    Consumer<Event> begin(int side, KeyHeader h) {
        if (!gathering) {
            if (big) {
                return buckets[side] = new Buckets(h.type(), span);
            }
            return values[side] = new KeyValue(h, cap);
        }
        return keep == null ? null : (values[side] = new KeyValue(h, cap, keep, span));
    }

    /** The key's value ended on {@code side}. */
    void end(int side) {
        if (buckets != null && buckets[side] != null) {
            buckets[side].finish();
        }
    }

    /**
     * After the first detail pass: true when a gathering pass is needed (a big value whose buckets were
     * seen on both sides and differ somewhere).
     */
    boolean prepareGathering() {
        if (!big || buckets[0] == null || buckets[1] == null) {
            buckets = null;
            return false;
        }
        BitSet d = Buckets.differing(buckets[0], buckets[1]);
        buckets = null;
        gathering = true;
        keep = d.isEmpty() ? null : d;
        return keep != null;
    }

    /** True when the value was big and its buckets did not differ: the digests alone differ. */
    boolean digestOnly() {
        return big && gathering && keep == null;
    }

    /** True when the key was seen on both sides in the first detail pass. */
    boolean seenOnBothSides() {
        return digestOnly() || values[0] != null && values[1] != null;
    }
}
