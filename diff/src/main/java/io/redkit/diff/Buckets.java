package io.redkit.diff;

import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * Per-bucket digests of one big value, to find where two big values differ without holding either:
 * elements go to one of {@link #COUNT} buckets (by identity for sets, hashes, sorted sets, streams and
 * arrays; by position for lists and strings, {@code span} items or bytes per bucket), and each bucket
 * keeps an order-free sum of its elements' SHA-256. Comparing the buckets of both sides tells which
 * elements a later pass needs to gather.
 */
final class Buckets implements Consumer<Event> {
    /** Buckets per value: 64 KB of sums per side and key. */
    static final int COUNT = 4096;

    private final DataType type;
    private final long span;
    private final long[] hi = new long[COUNT];
    private final long[] lo = new long[COUNT];
    private final long[] n = new long[COUNT];
    private final MessageDigest md;
    private final byte[] scratch = new byte[8];
    private final byte[] out = new byte[32];
    private long position;
    private int openBucket = -1;

    /**
     * @param span items (list) or bytes (string) per bucket; the same on both sides, from the larger size
     */
    Buckets(DataType type, long span) {
        this.type = type;
        this.span = Math.max(1, span);
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The span that spreads a value of {@code size} items or bytes over all buckets. */
    static long spanFor(long size) {
        return Math.max(1, (size + COUNT - 1) / COUNT);
    }

    /** The bucket of an element identified by {@code id} (member, field, stream id, array index). */
    static int of(byte[] id) {
        int h = Arrays.hashCode(id) * 0x9E3779B1;
        return (h ^ (h >>> 15)) & (COUNT - 1);
    }

    static int of(long a, long b) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 29;
        return (int) (h & (COUNT - 1));
    }

    /** The bucket of a list index or string offset. */
    static int ofPosition(long position, long span) {
        return (int) Math.min(COUNT - 1, position / span);
    }

    @Override
    public void accept(Event e) {
        switch (e.kind()) {
            case STRING_PART: {
                byte[] d = ((StringPart) e).data();
                int off = 0;
                while (off < d.length) {
                    int b = ofPosition(position, span);
                    if (b != openBucket) {
                        closeString();
                        openBucket = b;
                        md.reset();
                    }
                    long end = b == COUNT - 1 ? Long.MAX_VALUE : (b + 1) * span;
                    int take = (int) Math.min(d.length - off, end - position);
                    md.update(d, off, take);
                    off += take;
                    position += take;
                }
                break;
            }
            case ELEMENTS:
                for (byte[] item : ((Elements) e).items()) {
                    md.reset();
                    if (type == DataType.LIST) {
                        putLong(position);
                        putBytes(item);
                        add(ofPosition(position++, span));
                    } else {
                        putBytes(item);
                        add(of(item));
                    }
                }
                break;
            case HASH_FIELDS:
                for (HashField f : ((HashFields) e).fields()) {
                    md.reset();
                    putBytes(f.field());
                    putBytes(f.value());
                    putLong(f.expireAtMs());
                    add(of(f.field()));
                }
                break;
            case ZSET_MEMBERS:
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    md.reset();
                    putBytes(m.member());
                    putLong(KeyDigester.scoreBits(m.score()));
                    add(of(m.member()));
                }
                break;
            case STREAM_ENTRIES:
                for (StreamEntry s : ((StreamEntries) e).entries()) {
                    md.reset();
                    putLong(s.id().ms());
                    putLong(s.id().seq());
                    for (byte[] b : s.fieldsAndValues()) {
                        putBytes(b);
                    }
                    add(of(s.id().ms(), s.id().seq()));
                }
                break;
            case ARRAY_ELEMENTS:
                for (ArrayElement x : ((ArrayElements) e).elements()) {
                    md.reset();
                    putLong(x.index());
                    putBytes(x.value());
                    add(of(x.index(), 0));
                }
                break;
            default:
                // stream metadata and module values are small and always gathered whole
                break;
        }
    }

    /** Ends the value (closes the last string bucket). */
    void finish() {
        closeString();
    }

    /** Buckets whose contents differ between {@code a} and {@code b}. */
    static BitSet differing(Buckets a, Buckets b) {
        BitSet s = new BitSet(COUNT);
        for (int i = 0; i < COUNT; i++) {
            if (a.hi[i] != b.hi[i] || a.lo[i] != b.lo[i] || a.n[i] != b.n[i]) {
                s.set(i);
            }
        }
        return s;
    }

    private void closeString() {
        if (openBucket >= 0) {
            add(openBucket);
            openBucket = -1;
        }
    }

    private void add(int bucket) {
        try {
            md.digest(out, 0, out.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        long h = getLong(0);
        long l = getLong(8);
        long sum = lo[bucket] + l;
        hi[bucket] += h + (Long.compareUnsigned(sum, lo[bucket]) < 0 ? 1 : 0);
        lo[bucket] = sum;
        n[bucket]++;
    }

    private void putBytes(byte[] b) {
        putLong(b.length);
        md.update(b);
    }

    private void putLong(long v) {
        for (int i = 7; i >= 0; i--) {
            scratch[i] = (byte) v;
            v >>>= 8;
        }
        md.update(scratch);
    }

    private long getLong(int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (out[off + i] & 0xFF);
        }
        return v;
    }
}
