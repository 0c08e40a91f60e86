package io.redkit.rdb.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.Bytes;
import io.redkit.core.Limits;
import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Elements;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleAux;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamIdmp;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StreamPending;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.rdb.RdbReader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random datasets (every type, binary keys, TTLs, field TTLs, big and small values, several dbs,
 * chunked values) written by {@link RdbWriter} in RDB 9..12 and read back by {@link RdbReader}
 * give the same data. Datasets come from a seeded generator so that sizes can sit on the
 * encoding thresholds (128/512 entries, 64-byte values, 8 KiB list nodes) on purpose.
 */
class RdbWriterRoundTripProperties {
    private static final HexFormat HEX = HexFormat.of();
    /** A module value payload: UINT 5, then EOF. Module type id of "redkittst", encver 1. */
    private static final long MODULE_ID = moduleId("redkittst", 1);

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 40)
    void writtenFilesReadBackEqual(@ForAll("seeds") long seed) throws IOException {
        for (int version = 9; version <= 13; version++) {
            Random r = new Random(seed);
            List<Event> events = dataset(r, version);
            RdbWriter.Options o = RdbWriter.Options.builder().version(version).compress(r.nextBoolean())
                    .spillThreshold(r.nextBoolean() ? 4096 : 8 << 20).build();
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (RdbWriter w = new RdbWriter(bo, o)) {
                w.accept(new Begin(SourceKind.RDB, "gen", Dialect.REDIS, version, 0));
                for (Event e : events) {
                    w.accept(e);
                }
                w.accept(new End(0, false, -1));
            }
            List<Event> back = new ArrayList<>();
            Limits small = Limits.builder().chunkElements(50).chunkBytes(4096).build();
            End end = null;
            try (RdbReader rd = RdbReader.builder(new ByteArrayInputStream(bo.toByteArray()), "rt").limits(small).build()) {
                Event e;
                while ((e = rd.next()) != null) {
                    if (e instanceof End) {
                        end = (End) e;
                    }
                    back.add(e);
                }
                assertEquals(version, rd.version());
            }
            assertTrue(end != null && end.checksumVerified(), "CRC64 verified by the reader");
            assertEquals(canonical(events, version), canonical(back, version), "seed " + seed + " version " + version);
        }
    }

    /**
     * DUMP payloads: the footer is the version and the CRC64 of the rest; the body equals the raw
     * payload the reader captures from the file written by RdbWriter; and the body spliced into a
     * one-key RDB file reads back as the same key.
     */
    @Property(tries = 25)
    void dumpPayloadsMatchTheFile(@ForAll("seeds") long seed) throws IOException {
        for (int version = 9; version <= 13; version++) {
            Random r = new Random(seed);
            List<Event> events = dataset(r, version);
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (RdbWriter w = new RdbWriter(bo, RdbWriter.Options.builder().version(version).build())) {
                for (Event e : events) {
                    w.accept(e);
                }
                w.accept(new End(0, false, -1));
            }
            List<byte[]> raws = new ArrayList<>();
            try (RdbReader rd = RdbReader.builder(new ByteArrayInputStream(bo.toByteArray()), "rt")
                    .captureRawPayload(true).build()) {
                Event e;
                while ((e = rd.next()) != null) {
                    if (e instanceof KeyEnd) {
                        raws.add(((KeyEnd) e).rawPayload());
                    }
                }
            }
            int k = 0;
            for (int i = 0; i < events.size(); i++) {
                if (!(events.get(i) instanceof KeyStart)) {
                    continue;
                }
                int j = i;
                while (!(events.get(j) instanceof KeyEnd)) {
                    j++;
                }
                List<Event> key = events.subList(i, j + 1);
                byte[] p = DumpPayload.build(key, version);
                int n = p.length;
                assertEquals(version, (p[n - 10] & 0xFF) | (p[n - 9] & 0xFF) << 8, "version footer");
                assertEquals(io.redkit.rdb.encoding.Crc64.update(0, p, 0, n - 8), le64(p, n - 8), "payload CRC64");
                byte[] body = java.util.Arrays.copyOf(p, n - 10);
                byte[] raw = raws.get(k++);
                if (raw != null) {
                    assertEquals(HEX.formatHex(raw), HEX.formatHex(body), "raw payload of key " + k);
                }
                KeyHeader h = ((KeyStart) key.get(0)).header();
                List<Event> back = readOneKeyFile(version, h, body);
                List<Event> expected = new ArrayList<>(key);
                KeyHeader bare = new KeyHeader(0, h.key(), h.type(), null, -1, -1, -1, -1, -1);
                expected.set(0, new KeyStart(bare));
                expected.set(expected.size() - 1, new KeyEnd(bare, null, -1));
                assertEquals(canonical(expected, version), canonical(back, version));
            }
        }
    }

    private static List<Event> readOneKeyFile(int version, KeyHeader h, byte[] body) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(Bytes.of(String.format("REDIS%04d", version)));
        f.write(body[0]);
        f.write(h.key().length < 64 ? h.key().length : 0);
        if (h.key().length >= 64) {
            throw new AssertionError("generator keys are shorter than 64 bytes");
        }
        f.writeBytes(h.key());
        f.write(body, 1, body.length - 1);
        f.write(0xFF);
        f.writeBytes(new byte[8]); // checksum 0: not computed
        List<Event> back = new ArrayList<>();
        try (RdbReader rd = RdbReader.open(new ByteArrayInputStream(f.toByteArray()), "spliced")) {
            Event e;
            while ((e = rd.next()) != null) {
                back.add(e);
            }
        }
        return back;
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (b[off + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    // ------------------------------------------------------------------ generator

    static List<Event> dataset(Random r, int version) {
        List<Event> ev = new ArrayList<>();
        if (version >= 10 && r.nextInt(4) == 0) {
            ev.add(new FunctionLibrary(Bytes.of("#!lua name=lib" + r.nextInt(100)
                    + "\nredis.register_function('f', function() return 1 end)"), -1));
        }
        if (r.nextInt(4) == 0) {
            ev.add(new ModuleAux("redkittst", MODULE_ID, 1, new byte[] {2, 7, 5, (byte) 0xC0, 1, 0}, -1));
        }
        Set<String> used = new HashSet<>();
        int keys = r.nextInt(25);
        int db = 0;
        for (int i = 0; i < keys; i++) {
            if (r.nextInt(6) == 0) {
                db += 1 + r.nextInt(3);
            }
            byte[] key = bytes(r, 1 + r.nextInt(30));
            if (!used.add(db + ":" + HEX.formatHex(key))) {
                continue;
            }
            addKey(ev, r, version, db, key);
        }
        return ev;
    }

    private static void addKey(List<Event> ev, Random r, int version, int db, byte[] key) {
        DataType[] types = {DataType.STRING, DataType.LIST, DataType.SET, DataType.ZSET, DataType.HASH,
                DataType.STREAM, DataType.MODULE};
        DataType t = types[r.nextInt(types.length)];
        long expire = r.nextInt(3) == 0 ? 1_700_000_000_000L + r.nextInt(1 << 30) : -1;
        long idle = r.nextInt(5) == 0 ? r.nextInt(100000) : -1;
        int freq = idle < 0 && r.nextInt(5) == 0 ? r.nextInt(256) : -1;
        long sizeHint = -1;
        List<Event> parts = new ArrayList<>();
        switch (t) {
            case STRING: {
                byte[] v = value(r);
                if (r.nextInt(5) == 0) {
                    v = bytes(r, 20000 + r.nextInt(30000));
                }
                boolean hint = r.nextBoolean();
                sizeHint = hint ? v.length : -1;
                int pos = 0;
                do {
                    int n = Math.min(v.length - pos, 1 + r.nextInt(Math.max(1, v.length)));
                    byte[] part = java.util.Arrays.copyOfRange(v, pos, pos + n);
                    pos += n;
                    parts.add(new StringPart(part, pos >= v.length, -1));
                } while (pos < v.length);
                break;
            }
            case LIST: {
                int n = size(r);
                List<byte[]> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    all.add(r.nextInt(200) == 0 ? bytes(r, 9000) : value(r));
                }
                chunk(all, r, parts, Elements::new);
                break;
            }
            case SET: {
                boolean ints = r.nextBoolean();
                int n = ints && r.nextInt(3) == 0 ? 500 + r.nextInt(30) : size(r);
                Set<String> seen = new HashSet<>();
                List<byte[]> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] m = ints ? Bytes.of(Long.toString(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(70000) - 35000))
                            : value(r);
                    if (seen.add(HEX.formatHex(m))) {
                        all.add(m);
                    }
                }
                chunk(all, r, parts, Elements::new);
                break;
            }
            case ZSET: {
                int n = size(r);
                Set<String> seen = new HashSet<>();
                List<ScoredMember> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] m = value(r);
                    if (seen.add(HEX.formatHex(m))) {
                        all.add(new ScoredMember(m, score(r)));
                    }
                }
                chunk(all, r, parts, ZSetMembers::new);
                break;
            }
            case HASH: {
                int n = size(r);
                boolean ttls = version >= 12 && r.nextBoolean();
                Set<String> seen = new HashSet<>();
                List<HashField> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    byte[] f = value(r);
                    if (seen.add(HEX.formatHex(f))) {
                        long at = ttls && r.nextBoolean() ? 1_800_000_000_000L + r.nextInt(1 << 30) : -1;
                        all.add(new HashField(f, value(r), at));
                    }
                }
                chunk(all, r, parts, HashFields::new);
                break;
            }
            case STREAM:
                stream(r, version, parts);
                break;
            case MODULE:
                parts.add(new ModuleValue("redkittst", MODULE_ID, new byte[] {2, 5, 5, 3, 'a', 'b', 'c', 0}, -1));
                break;
            default:
                throw new AssertionError(t);
        }
        KeyHeader h = new KeyHeader(db, key, t, null, expire, idle, freq, sizeHint, -1);
        ev.add(new KeyStart(h));
        ev.addAll(parts);
        ev.add(new KeyEnd(h, null, -1));
    }

    private static void stream(Random r, int version, List<Event> parts) {
        int n = r.nextInt(8) == 0 ? 300 + r.nextInt(200) : r.nextInt(12);
        List<StreamEntry> entries = new ArrayList<>();
        long ms = 1_600_000_000_000L + r.nextInt(1000);
        long seq = 0;
        List<byte[]> baseFields = List.of(Bytes.of("temp"), Bytes.of("city"));
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                ms += 1 + r.nextInt(5);
                seq = r.nextInt(3);
            } else {
                seq++;
            }
            List<byte[]> fv = new ArrayList<>();
            if (r.nextInt(3) > 0) {
                fv.add(baseFields.get(0));
                fv.add(value(r));
                fv.add(baseFields.get(1));
                fv.add(value(r));
            } else {
                int nf = 1 + r.nextInt(4);
                for (int f = 0; f < nf; f++) {
                    fv.add(Bytes.of("f" + f));
                    fv.add(r.nextInt(50) == 0 ? bytes(r, 5000) : value(r));
                }
            }
            entries.add(new StreamEntry(new StreamId(ms, seq), fv));
        }
        chunk(entries, r, parts, StreamEntries::new);
        StreamId last = entries.isEmpty() ? new StreamId(r.nextInt(5), 0) : entries.get(entries.size() - 1).id();
        if (r.nextBoolean()) {
            last = new StreamId(last.ms() + 10, 3);
        }
        List<StreamGroup> groups = new ArrayList<>();
        int ng = entries.isEmpty() ? 0 : r.nextInt(3);
        for (int g = 0; g < ng; g++) {
            List<StreamPending> pel = new ArrayList<>();
            List<StreamId> c1 = new ArrayList<>();
            List<StreamId> c2 = new ArrayList<>();
            for (StreamEntry e : entries) {
                if (r.nextInt(3) == 0) {
                    pel.add(new StreamPending(e.id(), 1_700_000_000_000L + r.nextInt(1000), 1 + r.nextInt(4)));
                    (r.nextBoolean() ? c1 : c2).add(e.id());
                }
            }
            List<StreamConsumer> cons = List.of(
                    new StreamConsumer(Bytes.of("alice"), 1_700_000_000_500L, 1_700_000_000_400L, c1),
                    new StreamConsumer(Bytes.of("bob"), 1_700_000_000_600L, 1_700_000_000_600L, c2));
            groups.add(new StreamGroup(Bytes.of("g" + g), entries.get(r.nextInt(entries.size())).id(),
                    r.nextBoolean() ? -1 : r.nextInt(n + 1), pel, cons, List.of()));
        }
        StreamId first = entries.isEmpty() ? StreamId.ZERO : entries.get(0).id();
        StreamIdmp idmp = version >= 13 && r.nextInt(3) > 0 ? idmp(r, entries) : null;
        parts.add(new StreamMeta(entries.size(), last, first, StreamId.ZERO, entries.size() + r.nextInt(3), groups,
                idmp, -1));
    }

    /** RDB 13 idempotent-producer state: producers recording iids of some of the entries. */
    private static StreamIdmp idmp(Random r, List<StreamEntry> entries) {
        List<StreamIdmp.Producer> producers = new ArrayList<>();
        int np = entries.isEmpty() ? 0 : r.nextInt(4);
        for (int p = 0; p < np; p++) {
            List<StreamIdmp.Recorded> rec = new ArrayList<>();
            int ne = r.nextInt(5);
            for (int i = 0; i < ne; i++) {
                StreamId id = entries.get(r.nextInt(entries.size())).id();
                rec.add(new StreamIdmp.Recorded(r.nextInt(10) == 0 ? bytes(r, 300) : Bytes.of("iid-" + p + "-" + i),
                        id));
            }
            producers.add(new StreamIdmp.Producer(Bytes.of("producer" + p), rec));
        }
        return new StreamIdmp(1 + r.nextInt(7200), 1 + r.nextInt(10_000), producers, r.nextInt(100), r.nextInt(10));
    }

    interface Chunker<T> {
        Event make(List<T> items, long offset);
    }

    private static <T> void chunk(List<T> all, Random r, List<Event> parts, Chunker<T> mk) {
        int pos = 0;
        do {
            int n = Math.min(all.size() - pos, 1 + r.nextInt(Math.max(1, all.size())));
            parts.add(mk.make(new ArrayList<>(all.subList(pos, pos + n)), -1));
            pos += n;
        } while (pos < all.size());
    }

    private static int size(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return 120 + r.nextInt(16);   // around the 128-entry listpack limit
            case 1:
                return r.nextInt(8) == 0 ? 2000 + r.nextInt(2000) : 200 + r.nextInt(300);
            default:
                return 1 + r.nextInt(12);
        }
    }

    private static double score(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return r.nextInt(10) == 0 ? -0.0 : r.nextInt(2000) - 1000;
            case 1:
                return r.nextGaussian() * 1e6;
            case 2:
                return r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 3:
                return r.nextDouble() * 1e300;
            case 4:
                return (double) (r.nextLong() >> 8);
            default:
                return r.nextInt(10) / 7.0;
        }
    }

    private static byte[] value(Random r) {
        switch (r.nextInt(8)) {
            case 0:
                return Bytes.of(Long.toString(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(100000) - 50000));
            case 1:
                return bytes(r, 60 + r.nextInt(10));       // around the 64-byte listpack value limit
            case 2:
                return Bytes.of("x".repeat(r.nextInt(200)));  // compressible
            case 3:
                return new byte[0];
            case 4:
                return Bytes.of("0" + r.nextInt(100));         // integer-looking but not canonical
            default:
                return bytes(r, r.nextInt(24));
        }
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static long moduleId(String name, int encver) {
        String cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (int i = 0; i < 9; i++) {
            id = (id << 6) | cs.indexOf(name.charAt(i));
        }
        return (id << 10) | encver;
    }

    // ------------------------------------------------------------------ canonical form

    /**
     * One line per key (sorted by db and key) plus function and module-aux lines; collections in
     * canonical order, stream metadata reduced to what the version stores.
     */
    static String canonical(List<Event> events, int version) {
        TreeMap<String, String> keys = new TreeMap<>();
        List<String> other = new ArrayList<>();
        KeyHeader h = null;
        StringBuilder val = null;
        List<String> items = null;
        List<String> streamMeta = null;
        for (Event e : events) {
            switch (e.kind()) {
                case FUNCTION_LIBRARY:
                    other.add("fn " + HEX.formatHex(((FunctionLibrary) e).code()));
                    break;
                case MODULE_AUX: {
                    ModuleAux m = (ModuleAux) e;
                    other.add("maux " + m.moduleId() + " " + m.when() + " " + HEX.formatHex(m.payload()));
                    break;
                }
                case KEY_START:
                    h = ((KeyStart) e).header();
                    val = new StringBuilder();
                    items = new ArrayList<>();
                    streamMeta = new ArrayList<>();
                    break;
                case STRING_PART:
                    val.append(HEX.formatHex(((StringPart) e).data()));
                    break;
                case ELEMENTS:
                    for (byte[] b : ((Elements) e).items()) {
                        items.add(HEX.formatHex(b));
                    }
                    break;
                case ZSET_MEMBERS:
                    for (ScoredMember m : ((ZSetMembers) e).members()) {
                        items.add(HEX.formatHex(m.member()) + "=" + m.score());
                    }
                    break;
                case HASH_FIELDS:
                    for (HashField f : ((HashFields) e).fields()) {
                        items.add(HEX.formatHex(f.field()) + "=" + HEX.formatHex(f.value()) + "@" + f.expireAtMs());
                    }
                    break;
                case STREAM_ENTRIES:
                    for (StreamEntry se : ((StreamEntries) e).entries()) {
                        StringBuilder sb = new StringBuilder(se.id().toString());
                        for (byte[] b : se.fieldsAndValues()) {
                            sb.append(',').append(HEX.formatHex(b));
                        }
                        items.add(sb.toString());
                    }
                    break;
                case STREAM_META:
                    streamMeta.add(meta((StreamMeta) e, version));
                    break;
                case MODULE_VALUE: {
                    ModuleValue m = (ModuleValue) e;
                    // a pre-release hellotype value is written back in the type 7 form, as Redis saves it again
                    byte[] p = ModulePayload.opcodeStream(m);
                    val.append(m.moduleId()).append(':').append(HEX.formatHex(p == null ? m.payload() : p));
                    break;
                }
                case KEY_END: {
                    DataType t = h.type();
                    if (t == DataType.SET || t == DataType.ZSET || t == DataType.HASH) {
                        items.sort(null);
                    }
                    if (items.isEmpty() && (t == DataType.LIST || t == DataType.SET || t == DataType.ZSET
                            || t == DataType.HASH)) {
                        h = null;
                        break; // empty collections are legal in old files; Redis and the writer drop them
                    }
                    String head = String.format("%05d %s", h.db(), HEX.formatHex(h.key()));
                    String line = t.id() + " exp=" + h.expireAtMs()
                            + (version >= 9 ? " idle=" + h.idleSeconds() + " freq=" + h.lfuFreq() : "")
                            + " v=" + val + " " + items + " " + streamMeta;
                    keys.put(head, line);
                    h = null;
                    break;
                }
                default:
                    break;
            }
        }
        StringBuilder sb = new StringBuilder();
        other.forEach(s -> sb.append(s).append('\n'));
        keys.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        return sb.toString();
    }

    private static String meta(StreamMeta m, int version) {
        StringBuilder sb = new StringBuilder();
        sb.append("len=").append(m.length()).append(" last=").append(m.lastId());
        if (version >= 10) {
            sb.append(" first=").append(m.firstId()).append(" maxdel=").append(m.maxDeletedId())
                    .append(" added=").append(m.entriesAdded());
        }
        for (StreamGroup g : m.groups()) {
            sb.append(" group ").append(HEX.formatHex(g.name())).append(" last=").append(g.lastId());
            if (version >= 10) {
                sb.append(" read=").append(g.entriesRead());
            }
            for (StreamPending p : g.pending()) {
                sb.append(" p ").append(p.id()).append('/').append(p.deliveryTimeMs()).append('/').append(p.deliveryCount());
            }
            for (StreamConsumer c : g.consumers()) {
                sb.append(" c ").append(HEX.formatHex(c.name())).append(" seen=").append(c.seenTimeMs());
                if (version >= 11) {
                    sb.append(" active=").append(c.activeTimeMs());
                }
                sb.append(' ').append(c.pending());
            }
        }
        if (version >= 13) {
            StreamIdmp i = m.idmp();
            if (i == null) {
                // RDB 13 writes Redis's defaults for a stream that never had IDMP set
                sb.append(" idmp 100/100 0/0");
            } else {
                sb.append(" idmp ").append(i.durationSeconds()).append('/').append(i.maxEntries()).append(' ')
                        .append(i.iidsAdded()).append('/').append(i.iidsDuplicates());
                for (StreamIdmp.Producer p : i.producers()) {
                    sb.append(" producer ").append(HEX.formatHex(p.producerId()));
                    for (StreamIdmp.Recorded rec : p.entries()) {
                        sb.append(' ').append(HEX.formatHex(rec.iid())).append('=').append(rec.id());
                    }
                }
            }
        }
        return sb.toString();
    }
}
