package io.redkit.kv;

import io.redkit.core.event.DataType;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamIdmp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A stream, first version: live entries by ID in a tree (fields and values alternating in one array per entry),
 * the counters Redis keeps (last, first and max-deleted IDs, entries added), and consumer groups as plain data
 * (the event model's records; XREADGROUP/XACK will need mutable groups).
 */
final class KvStream extends KvValue {
    TreeMap<StreamId, byte[][]> entries = new TreeMap<>();
    StreamId lastId = StreamId.ZERO;
    StreamId maxDeletedId = StreamId.ZERO;
    long entriesAdded;
    List<StreamGroup> groups = new ArrayList<>();
    StreamIdmp idmp;
    long elemBytes;

    @Override
    DataType type() {
        return DataType.STREAM;
    }

    /** Streams exist while empty (XADD then XDEL keeps the key), as in Redis. */
    @Override
    boolean isEmpty() {
        return false;
    }

    void add(StreamId id, byte[][] fv) {
        entries.put(id, fv);
        elemBytes += entryBytes(fv);
    }

    boolean delete(StreamId id) {
        byte[][] fv = entries.remove(id);
        if (fv == null) {
            return false;
        }
        elemBytes -= entryBytes(fv);
        if (maxDeletedId.compareTo(id) < 0) {
            maxDeletedId = id;
        }
        return true;
    }

    /** Removes the first entry by trimming (XTRIM/MAXLEN): unlike XDEL, Redis leaves the max-deleted ID alone. */
    void trimFirst() {
        elemBytes -= entryBytes(entries.pollFirstEntry().getValue());
    }

    StreamId firstId() {
        return entries.isEmpty() ? StreamId.ZERO : entries.firstKey();
    }

    static long entryBytes(byte[][] fv) {
        long n = Mem.array(fv.length, Mem.REF) + 40 + Mem.object(16);
        for (byte[] b : fv) {
            n += Mem.bytes(b);
        }
        return n;
    }

    @Override
    KvStream copy() {
        KvStream c = new KvStream();
        c.entries = new TreeMap<>(entries);
        c.lastId = lastId;
        c.maxDeletedId = maxDeletedId;
        c.entriesAdded = entriesAdded;
        c.groups = new ArrayList<>(groups);
        c.idmp = idmp;
        c.elemBytes = elemBytes;
        return c;
    }

    @Override
    long bytes() {
        return Mem.object(40) + Mem.object(24) + elemBytes + groups.size() * 128L;
    }
}
