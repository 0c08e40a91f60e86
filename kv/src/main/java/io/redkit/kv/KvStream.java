package io.redkit.kv;

import io.redkit.core.Bytes;
import io.redkit.core.event.DataType;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamIdmp;
import io.redkit.core.event.StreamPending;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A stream, first version: live entries by ID in a tree (fields and values alternating in one array per entry),
 * the counters Redis keeps (last, first and max-deleted IDs, entries added), and mutable consumer groups (a PEL by
 * ID, consumers by name in byte order as Redis's rax keeps them), turned into the event model's records for
 * snapshots and built from them by the loader.
 */
final class KvStream extends KvValue {
    TreeMap<StreamId, byte[][]> entries = new TreeMap<>();
    StreamId lastId = StreamId.ZERO;
    StreamId maxDeletedId = StreamId.ZERO;
    long entriesAdded;
    List<Group> groups = new ArrayList<>();
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
        c.groups = new ArrayList<>(groups.size());
        for (Group g : groups) {
            c.groups.add(g.copy());
        }
        c.idmp = idmp;
        c.elemBytes = elemBytes;
        return c;
    }

    @Override
    long bytes() {
        long n = Mem.object(40) + Mem.object(24) + elemBytes;
        for (Group g : groups) {
            n += 128L + g.pel.size() * 120L + g.consumers.size() * 96L;
        }
        return n;
    }

    /** The group of that name, or null. */
    Group group(byte[] name) {
        for (Group g : groups) {
            if (java.util.Arrays.equals(g.name, name)) {
                return g;
            }
        }
        return null;
    }

    /** The groups as event records (for snapshots). */
    List<StreamGroup> groupRecords() {
        List<StreamGroup> out = new ArrayList<>(groups.size());
        for (Group g : groups) {
            out.add(g.toRecord());
        }
        return out;
    }

    /** Replaces the groups with the loaded records. */
    void setGroups(List<StreamGroup> records) {
        groups = new ArrayList<>(records.size());
        for (StreamGroup r : records) {
            groups.add(Group.of(r));
        }
    }

    /** A consumer group: last delivered ID, entries-read counter (-1 unknown), PEL, consumers. */
    static final class Group {
        final byte[] name;
        StreamId lastId;
        long entriesRead;
        final TreeMap<StreamId, Pending> pel = new TreeMap<>();
        final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Bytes::compare);

        Group(byte[] name, StreamId lastId, long entriesRead) {
            this.name = name;
            this.lastId = lastId;
            this.entriesRead = entriesRead;
        }

        /** The consumer, created (seen now) when absent and {@code create}. */
        Consumer consumer(byte[] cname, boolean create, long now) {
            Consumer c = consumers.get(cname);
            if (c == null && create) {
                c = new Consumer(cname, now, -1);
                consumers.put(cname, c);
            }
            return c;
        }

        /** Removes the ID from the PEL and its owner's list; true when it was pending. */
        boolean ack(StreamId id) {
            Pending p = pel.remove(id);
            if (p == null) {
                return false;
            }
            if (p.owner != null) {
                p.owner.pending.remove(id);
            }
            return true;
        }

        Group copy() {
            Group g = new Group(name, lastId, entriesRead);
            for (Consumer c : consumers.values()) {
                g.consumers.put(c.name, new Consumer(c.name, c.seenTime, c.activeTime));
            }
            for (Map.Entry<StreamId, Pending> en : pel.entrySet()) {
                Pending p = en.getValue();
                Consumer o = p.owner == null ? null : g.consumers.get(p.owner.name);
                g.pel.put(en.getKey(), new Pending(o, p.deliveryTime, p.deliveryCount));
                if (o != null) {
                    o.pending.add(en.getKey());
                }
            }
            return g;
        }

        StreamGroup toRecord() {
            List<StreamPending> pending = new ArrayList<>(pel.size());
            List<StreamId> nacks = new ArrayList<>();
            for (Map.Entry<StreamId, Pending> en : pel.entrySet()) {
                pending.add(new StreamPending(en.getKey(), en.getValue().deliveryTime, en.getValue().deliveryCount));
                if (en.getValue().owner == null) {
                    nacks.add(en.getKey());
                }
            }
            List<StreamConsumer> cs = new ArrayList<>(consumers.size());
            for (Consumer c : consumers.values()) {
                cs.add(new StreamConsumer(c.name, c.seenTime, c.activeTime, List.copyOf(c.pending)));
            }
            return new StreamGroup(name, lastId, entriesRead, pending, cs, nacks);
        }

        static Group of(StreamGroup r) {
            Group g = new Group(r.name(), r.lastId(), r.entriesRead());
            for (StreamPending p : r.pending()) {
                g.pel.put(p.id(), new Pending(null, p.deliveryTimeMs(), p.deliveryCount()));
            }
            for (StreamConsumer sc : r.consumers()) {
                Consumer c = new Consumer(sc.name(), sc.seenTimeMs(), sc.activeTimeMs());
                g.consumers.put(c.name, c);
                for (StreamId id : sc.pending()) {
                    Pending p = g.pel.get(id);
                    if (p != null) {
                        p.owner = c;
                        c.pending.add(id);
                    }
                }
            }
            return g;
        }
    }

    /** A PEL entry; owner null for an ID no consumer holds (RDB 14 NACKs). */
    static final class Pending {
        Consumer owner;
        long deliveryTime;
        long deliveryCount;

        Pending(Consumer owner, long deliveryTime, long deliveryCount) {
            this.owner = owner;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
        }
    }

    /** A consumer: seen and active times (ms, -1 unknown) and the IDs it holds. */
    static final class Consumer {
        final byte[] name;
        long seenTime;
        long activeTime;
        final TreeSet<StreamId> pending = new TreeSet<>();

        Consumer(byte[] name, long seenTime, long activeTime) {
            this.name = name;
            this.seenTime = seenTime;
            this.activeTime = activeTime;
        }
    }
}
