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

/**
 * One key's whole value, gathered in the second pass to explain a difference element by element. Bounded:
 * past {@code capBytes} of content it stops gathering and is marked {@link #truncated()}, so a huge value
 * costs no more than the cap.
 */
public final class KeyValue {
    private final KeyHeader header;
    private final long capBytes;
    private long bytes;
    private boolean truncated;

    final ByteArrayOutputStream string = new ByteArrayOutputStream();
    long stringLength;
    final List<byte[]> list = new ArrayList<>();
    final TreeMap<byte[], Boolean> set = new TreeMap<>(Arrays::compareUnsigned);
    final TreeMap<byte[], HashField> hash = new TreeMap<>(Arrays::compareUnsigned);
    final TreeMap<byte[], Double> zset = new TreeMap<>(Arrays::compareUnsigned);
    final List<StreamEntry> entries = new ArrayList<>();
    StreamMeta meta;
    final List<ArrayElement> array = new ArrayList<>();
    long insertIdx = -1;
    ModuleValue module;
    long elements;

    /** Starts gathering the value of {@code header}'s key, keeping at most about {@code capBytes} of it. */
    public KeyValue(KeyHeader header, long capBytes) {
        this.header = header;
        this.capBytes = capBytes;
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
    public void accept(Event e) {
        switch (e.kind()) {
            case STRING_PART: {
                byte[] d = ((StringPart) e).data();
                stringLength += d.length;
                if (room(d.length)) {
                    string.write(d, 0, d.length);
                }
                break;
            }
            case ELEMENTS:
                for (byte[] b : ((Elements) e).items()) {
                    elements++;
                    if (room(b.length + 16)) {
                        if (header.type() == DataType.LIST) {
                            list.add(b);
                        } else {
                            set.put(b, Boolean.TRUE);
                        }
                    }
                }
                break;
            case HASH_FIELDS:
                for (HashField f : ((HashFields) e).fields()) {
                    elements++;
                    if (room(f.field().length + f.value().length + 32)) {
                        hash.put(f.field(), f);
                    }
                }
                break;
            case ZSET_MEMBERS:
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    elements++;
                    if (room(m.member().length + 24)) {
                        zset.put(m.member(), m.score());
                    }
                }
                break;
            case STREAM_ENTRIES:
                for (StreamEntry s : ((StreamEntries) e).entries()) {
                    elements++;
                    long n = 32;
                    for (byte[] b : s.fieldsAndValues()) {
                        n += b.length + 16;
                    }
                    if (room(n)) {
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
                    if (room(x.value().length + 24)) {
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
