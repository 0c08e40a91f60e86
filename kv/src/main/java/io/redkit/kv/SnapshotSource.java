package io.redkit.kv;

import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.SelectDb;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.EventSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The events of a point-in-time snapshot. When it starts, the engine bumps its snapshot generation; from then on,
 * the first write to any shard (under that shard's write lock, before changing it) hands the snapshot a copy of
 * the shard, and shards nobody wrote are copied by this source when it reaches them. Since a multi-key write holds
 * all its shards' locks, the snapshot is a consistent cut: every write is either wholly in it or wholly out.
 * A shard copy copies the shard's two tables (references only) and freezes its collection values; a writer that
 * changes a frozen value while the snapshot runs copies that one value first. So a writer stalls for at most one
 * table copy of its shard plus one copy of the value it changes. Keys already expired at the start are left out.
 * Collections come in chunks of at most {@link #CHUNK} elements; the encoding field of the headers is null (the
 * writer picks encodings).
 */
final class SnapshotSource implements EventSource {
    static final int CHUNK = 1024;

    private final KvEngine engine;
    private final KvEngine.SnapshotState state;
    private final ArrayDeque<Event> pending = new ArrayDeque<>();
    private int db = 0;
    private int shard = 0;
    private boolean dbAnnounced;
    private Shard.ShardCopy copy;
    private int slot;
    private boolean begun;
    private boolean ended;
    private boolean closed;

    SnapshotSource(KvEngine engine, KvEngine.SnapshotState state) {
        this.engine = engine;
        this.state = state;
    }

    @Override
    public Event next() {
        while (pending.isEmpty()) {
            if (closed || ended) {
                return null;
            }
            fill();
        }
        return pending.poll();
    }

    @Override
    public void skipValue() {
        // drop the rest of the current key: everything up to and including its KeyEnd
        while (!pending.isEmpty()) {
            Event e = pending.poll();
            if (e instanceof KeyEnd) {
                pending.addFirst(e);
                return;
            }
        }
    }

    private void fill() {
        if (!begun) {
            begun = true;
            pending.add(new Begin(SourceKind.RDB, "kv", null, -1, -1));
            return;
        }
        int shards = engine.dbs[0].length;
        while (true) {
            if (db == KvEngine.DATABASES) {
                pending.add(new End(0, false, -1));
                ended = true;
                engine.endSnapshot(state);
                return;
            }
            if (copy == null) {
                copy = engine.copyFor(state, db, shard);
                slot = 0;
            }
            int i = copy.main().nextSlot(slot);
            if (i >= 0) {
                slot = i + 1;
                byte[] key = copy.main().keyAt(i);
                long exp = copy.expires() == null ? -1 : copy.expires().get(key, -1);
                if (exp >= 0 && exp <= state.timeMs) {
                    continue;
                }
                if (!dbAnnounced) {
                    dbAnnounced = true;
                    pending.add(new SelectDb(db, -1));
                }
                emit(key, copy.main().valAt(i), exp);
                return;
            }
            copy = null;
            shard++;
            if (shard == shards) {
                shard = 0;
                db++;
                dbAnnounced = false;
            }
        }
    }

    private void emit(byte[] key, Object v, long exp) {
        emit(pending, db, key, v, exp, state.timeMs);
    }

    /**
     * The events of one key (KeyStart, value parts in chunks, KeyEnd) appended to {@code pending}; nothing for a
     * hash whose fields all expired by {@code now}. Also used by DUMP.
     */
    static void emit(java.util.Collection<Event> pending, int db, byte[] key, Object v, long exp, long now) {
        if (v instanceof byte[] s) {
            KeyHeader h = new KeyHeader(db, key, DataType.STRING, null, exp, -1, -1, s.length, -1);
            pending.add(new KeyStart(h));
            pending.add(new StringPart(s, true, -1));
            pending.add(new KeyEnd(h, null, -1));
            return;
        }
        KvValue kv = (KvValue) v;
        switch (kv.type()) {
            case LIST: {
                KvList l = (KvList) kv;
                KeyHeader h = header(db, key, DataType.LIST, exp, l.size());
                pending.add(new KeyStart(h));
                List<byte[]> chunk = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    chunk.add(l.get(i));
                    if (chunk.size() == CHUNK) {
                        pending.add(new Elements(chunk, -1));
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    pending.add(new Elements(chunk, -1));
                }
                pending.add(new KeyEnd(h, null, -1));
                break;
            }
            case SET: {
                KeySet m = ((KvSet) kv).members;
                KeyHeader h = header(db, key, DataType.SET, exp, m.size());
                pending.add(new KeyStart(h));
                List<byte[]> chunk = new ArrayList<>();
                for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
                    chunk.add(m.keyAt(i));
                    if (chunk.size() == CHUNK) {
                        pending.add(new Elements(chunk, -1));
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    pending.add(new Elements(chunk, -1));
                }
                pending.add(new KeyEnd(h, null, -1));
                break;
            }
            case HASH: {
                KvHash hs = (KvHash) kv;
                List<HashField> chunk = new ArrayList<>();
                List<HashFields> parts = new ArrayList<>();
                int live = 0;
                for (int i = hs.fields.nextSlot(0); i >= 0; i = hs.fields.nextSlot(i + 1)) {
                    byte[] f = hs.fields.keyAt(i);
                    long fe = hs.fieldExpire(f);
                    if (fe >= 0 && fe <= now) {
                        continue;
                    }
                    live++;
                    chunk.add(new HashField(f, (byte[]) hs.fields.valAt(i), fe));
                    if (chunk.size() == CHUNK) {
                        parts.add(new HashFields(chunk, -1));
                        chunk = new ArrayList<>();
                    }
                }
                if (live == 0) {
                    return;
                }
                if (!chunk.isEmpty()) {
                    parts.add(new HashFields(chunk, -1));
                }
                KeyHeader h = header(db, key, DataType.HASH, exp, live);
                pending.add(new KeyStart(h));
                pending.addAll(parts);
                pending.add(new KeyEnd(h, null, -1));
                break;
            }
            case ZSET: {
                KvZSet z = (KvZSet) kv;
                KeyHeader h = header(db, key, DataType.ZSET, exp, z.size());
                pending.add(new KeyStart(h));
                List<ScoredMember> chunk = new ArrayList<>();
                for (KvZSet.Entry e : z.order) {
                    chunk.add(new ScoredMember(e.member, e.score));
                    if (chunk.size() == CHUNK) {
                        pending.add(new ZSetMembers(chunk, -1));
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    pending.add(new ZSetMembers(chunk, -1));
                }
                pending.add(new KeyEnd(h, null, -1));
                break;
            }
            case STREAM: {
                KvStream st = (KvStream) kv;
                KeyHeader h = header(db, key, DataType.STREAM, exp, st.entries.size());
                pending.add(new KeyStart(h));
                List<StreamEntry> chunk = new ArrayList<>();
                for (Map.Entry<StreamId, byte[][]> e : st.entries.entrySet()) {
                    chunk.add(new StreamEntry(e.getKey(), Arrays.asList(e.getValue())));
                    if (chunk.size() == CHUNK) {
                        pending.add(new StreamEntries(chunk, -1));
                        chunk = new ArrayList<>();
                    }
                }
                if (!chunk.isEmpty()) {
                    pending.add(new StreamEntries(chunk, -1));
                }
                pending.add(new StreamMeta(st.entries.size(), st.lastId, st.firstId(), st.maxDeletedId,
                        st.entriesAdded, st.groupRecords(), st.idmp, -1));
                pending.add(new KeyEnd(h, null, -1));
                break;
            }
            case MODULE: {
                KeyHeader h = header(db, key, DataType.MODULE, exp, 1);
                pending.add(new KeyStart(h));
                pending.add(((KvModule) kv).event());
                pending.add(new KeyEnd(h, null, -1));
                break;
            }
            default:
                throw new IllegalStateException("unexpected value type " + kv.type());
        }
    }

    private static KeyHeader header(int db, byte[] key, DataType t, long exp, long size) {
        return new KeyHeader(db, key, t, null, exp, -1, -1, size, -1);
    }

    /** Ends the snapshot early; writers stop making copies for it. */
    @Override
    public void close() {
        closed = true;
        engine.endSnapshot(state);
    }
}
