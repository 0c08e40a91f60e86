package io.redkit.diff;

import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * One key's value, gathered to explain a difference element by element: whole, or only the elements of
 * some {@link Buckets} (those where the two sides differ). Bounded: past {@code capBytes} of content it
 * stops gathering and is marked {@link #truncated()}, so a huge value costs no more than the cap.
 */
public final class KeyValue implements Consumer<Event> {
    private final KeyHeader header;
    private final long capBytes;
    private final BitSet keep;
    private final long span;
    private long bytes;
    private boolean truncated;

    /** String bytes by the offset where each kept range starts (one range from 0 when gathered whole). */
    final TreeMap<Long, ByteArrayOutputStream> ranges = new TreeMap<>();
    long stringLength;
    /** List items by index. */
    final TreeMap<Long, byte[]> list = new TreeMap<>();
    final TreeMap<byte[], Boolean> set = new TreeMap<>(Arrays::compareUnsigned);
    final TreeMap<byte[], HashField> hash = new TreeMap<>(Arrays::compareUnsigned);
    final TreeMap<byte[], Double> zset = new TreeMap<>(Arrays::compareUnsigned);
    final List<StreamEntry> entries = new ArrayList<>();
    StreamMeta meta;
    final List<ArrayElement> array = new ArrayList<>();
    long insertIdx = -1;
    ModuleValue module;
    long elements;

    /** Starts gathering the whole value of {@code header}'s key, keeping at most about {@code capBytes} of it. */
    public KeyValue(KeyHeader header, long capBytes) {
        this(header, capBytes, null, Long.MAX_VALUE);
    }

    /**
     * Gathers only the elements in the buckets of {@code keep} ({@code span} as in {@link Buckets}); null
     * keeps every element.
     */
    KeyValue(KeyHeader header, long capBytes, BitSet keep, long span) {
        this.header = header;
        this.capBytes = capBytes;
        this.keep = keep;
        this.span = span;
    }

    /** True when only some buckets were gathered. */
    boolean partial() {
        return keep != null;
    }

    private boolean kept(int bucket) {
        return keep == null || keep.get(bucket);
    }

    /** The key's header (type, expiry) as the source gave it. */
    public KeyHeader header() {
        return header;
    }

    /** True when the value was bigger than the cap and only its start was kept. */
    public boolean truncated() {
        return truncated;
    }

    /** Elements seen (bytes for a string), including those past the cap. */
    public long size() {
        return header.type() == DataType.STRING ? stringLength : elements;
    }

    /** Takes one value part. */
    @Override
    public void accept(Event e) {
        switch (e.kind()) {
            case STRING_PART:
                string(((StringPart) e).data());
                break;
            case ELEMENTS:
                for (byte[] b : ((Elements) e).items()) {
                    if (header.type() == DataType.LIST) {
                        long i = elements++;
                        if (kept(Buckets.ofPosition(i, span)) && room(b.length + 48)) {
                            list.put(i, b);
                        }
                    } else {
                        elements++;
                        if (kept(Buckets.of(b)) && room(b.length + 48)) {
                            set.put(b, Boolean.TRUE);
                        }
                    }
                }
                break;
            case HASH_FIELDS:
                for (HashField f : ((HashFields) e).fields()) {
                    elements++;
                    if (kept(Buckets.of(f.field())) && room(f.field().length + f.value().length + 64)) {
                        hash.put(f.field(), f);
                    }
                }
                break;
            case ZSET_MEMBERS:
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    elements++;
                    if (kept(Buckets.of(m.member())) && room(m.member().length + 64)) {
                        zset.put(m.member(), m.score());
                    }
                }
                break;
            case STREAM_ENTRIES:
                for (StreamEntry s : ((StreamEntries) e).entries()) {
                    elements++;
                    long n = 48;
                    for (byte[] b : s.fieldsAndValues()) {
                        n += b.length + 16;
                    }
                    if (kept(Buckets.of(s.id().ms(), s.id().seq())) && room(n)) {
                        entries.add(s);
                    }
                }
                break;
            case STREAM_META:
                meta = (StreamMeta) e;
                break;
            case ARRAY_ELEMENTS: {
                ArrayElements a = (ArrayElements) e;
                insertIdx = a.insertIdx();
                for (ArrayElement x : a.elements()) {
                    elements++;
                    if (kept(Buckets.of(x.index(), 0)) && room(x.value().length + 48)) {
                        array.add(x);
                    }
                }
                break;
            }
            case MODULE_VALUE:
                elements++;
                module = (ModuleValue) e;
                break;
            default:
                break;
        }
    }

    /** Keeps the bytes of {@code d} that fall in kept buckets, by the start offset of their bucket. */
    private void string(byte[] d) {
        int off = 0;
        while (off < d.length) {
            long pos = stringLength;
            int b = Buckets.ofPosition(pos, span);
            long end = span == Long.MAX_VALUE || b == Buckets.COUNT - 1 ? Long.MAX_VALUE : (b + 1) * span;
            int take = (int) Math.min(d.length - off, end - pos);
            if (kept(b) && room(take)) {
                long start = span == Long.MAX_VALUE ? 0 : b * span;
                ranges.computeIfAbsent(start, k -> new ByteArrayOutputStream()).write(d, off, take);
            }
            off += take;
            stringLength += take;
        }
    }

    private boolean room(long n) {
        if (truncated) {
            return false;
        }
        bytes += n;
        if (bytes > capBytes) {
            truncated = true;
            return false;
        }
        return true;
    }
}
