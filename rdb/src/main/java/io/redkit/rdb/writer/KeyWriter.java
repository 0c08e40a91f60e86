package io.redkit.rdb.writer;

import static io.redkit.rdb.writer.RdbFormat.*;

import io.redkit.core.Bytes;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
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
import io.redkit.rdb.encoding.IntsetEncoder;
import io.redkit.rdb.encoding.ListpackEncoder;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Encodes one key at a time: collects its value parts (in a {@link SpillBuffer} when big), picks
 * the encoding Redis would pick on save with default config, and writes prefixes, type, key and
 * value. In DUMP mode it writes only the type byte and the value.
 */
final class KeyWriter implements Closeable {
    private final RdbOut out;
    private final int version;
    private final boolean dumpMode;
    private final String sink;
    private final SpillBuffer spill;
    /** Encodes nodes (lists, streams) and pre-encoded strings into {@link #spill}; its CRC is unused. */
    private final RdbOut spillOut;
    private final ListpackEncoder lp = new ListpackEncoder();

    private KeyHeader h;
    private boolean open;
    private boolean headWritten;
    private long count;
    private int maxLen;
    private boolean allInts;
    private boolean anyTtl;
    private long minExpire;
    private long nodes;
    // strings
    private long stringBytes;
    private boolean stringDone;
    private boolean stringStreamed;
    // streams
    private final List<StreamEntry> nodeEntries = new ArrayList<>();
    private long nodeBytes;
    private StreamId firstEntryId;
    private StreamId lastEntryId;
    private StreamMeta meta;
    // modules
    private ModuleValue module;
    /** True when the source predates RDB 11, so a consumer active time of -1 means "not stored". */
    private boolean activeTimeUnknown;

    KeyWriter(RdbOut out, int version, boolean compress, boolean dumpMode, int spillThreshold, Path tempDir,
              String sinkName) {
        this.out = out;
        this.version = version;
        this.dumpMode = dumpMode;
        this.sink = sinkName;
        this.spill = new SpillBuffer(spillThreshold, tempDir);
        this.spillOut = new RdbOut(spill.asOutputStream(), compress);
    }

    /** Tells the writer the RDB version of the source (-1 unknown), for fields whose meaning changed. */
    void sourceVersion(int v) {
        activeTimeUnknown = v >= 0 && v < 11;
    }

    boolean isOpen() {
        return open;
    }

    /** True once bytes of the current key have reached the output (it can no longer be dropped cleanly). */
    boolean headWritten() {
        return headWritten;
    }

    /** Begins a key; checks up front what the target version can never hold. */
    void start(KeyHeader header) throws IOException {
        if (open) {
            throw new IllegalStateException("KeyStart before the KeyEnd of the previous key");
        }
        h = header;
        open = true;
        headWritten = false;
        count = 0;
        maxLen = 0;
        allInts = true;
        anyTtl = false;
        minExpire = Long.MAX_VALUE;
        nodes = 0;
        stringBytes = 0;
        stringDone = false;
        stringStreamed = false;
        nodeEntries.clear();
        nodeBytes = 0;
        firstEntryId = null;
        lastEntryId = null;
        meta = null;
        module = null;
        lp.reset();
        spillOut.discard();
        spill.reset();
        switch (header.type()) {
            case STREAM:
                need(9, "streams");
                break;
            case MODULE:
                need(8, "module values");
                break;
            case ARRAY:
                throw unsupported("arrays need RDB 14; this writer writes up to RDB " + MAX_VERSION);
            default:
                break;
        }
    }

    /** One value part of the current key. */
    void part(Event e) throws IOException {
        if (!open) {
            throw new IllegalStateException(e.kind() + " outside a key");
        }
        if (!fits(e.kind(), h.type())) {
            throw new IllegalStateException(e.kind() + " in a key of type " + h.type().id());
        }
        switch (e.kind()) {
            case STRING_PART:
                stringPart((StringPart) e);
                break;
            case ELEMENTS:
                if (h.type() == DataType.LIST) {
                    for (byte[] item : ((Elements) e).items()) {
                        listElement(item);
                    }
                } else {
                    for (byte[] item : ((Elements) e).items()) {
                        setMember(item);
                    }
                }
                break;
            case HASH_FIELDS:
                for (HashField f : ((HashFields) e).fields()) {
                    hashField(f);
                }
                break;
            case ZSET_MEMBERS:
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    zsetMember(m);
                }
                break;
            case STREAM_ENTRIES:
                for (StreamEntry se : ((StreamEntries) e).entries()) {
                    streamEntry(se);
                }
                break;
            case STREAM_META:
                meta = (StreamMeta) e;
                break;
            case MODULE_VALUE:
                module = (ModuleValue) e;
                break;
            case ARRAY_ELEMENTS:
                throw unsupported("arrays need RDB 14");
            default:
                throw new IllegalStateException(e.kind() + " inside a key");
        }
    }

    private static boolean fits(io.redkit.core.event.EventKind k, DataType t) {
        switch (k) {
            case STRING_PART:
                return t == DataType.STRING;
            case ELEMENTS:
                return t == DataType.LIST || t == DataType.SET;
            case HASH_FIELDS:
                return t == DataType.HASH;
            case ZSET_MEMBERS:
                return t == DataType.ZSET;
            case STREAM_ENTRIES:
            case STREAM_META:
                return t == DataType.STREAM;
            case MODULE_VALUE:
                return t == DataType.MODULE;
            default:
                return true;
        }
    }

    /** Completes the key and writes it (nothing for an empty collection, which Redis would drop). */
    void end() throws IOException {
        if (!open) {
            throw new IllegalStateException("KeyEnd outside a key");
        }
        try {
            switch (h.type()) {
                case STRING:
                    endString();
                    break;
                case LIST:
                    endList();
                    break;
                case SET:
                    endSet();
                    break;
                case ZSET:
                    endZSet();
                    break;
                case HASH:
                    endHash();
                    break;
                case STREAM:
                    endStream();
                    break;
                case MODULE:
                    endModule();
                    break;
                default:
                    throw unsupported("type " + h.type().id() + " cannot be written");
            }
        } finally {
            open = false;
            spill.reset();
        }
    }

    /** Abandons the current key (after an error). */
    void abort() throws IOException {
        open = false;
        spill.reset();
    }

    // ---------------------------------------------------------------- head

    private void writeHead(int type) throws IOException {
        if (!dumpMode) {
            if (h.expireAtMs() >= 0) {
                out.writeByte(OP_EXPIRETIME_MS);
                out.writeInt64Le(h.expireAtMs());
            }
            if (version >= 9) {
                if (h.idleSeconds() >= 0) {
                    out.writeByte(OP_IDLE);
                    out.writeLen(h.idleSeconds());
                }
                if (h.lfuFreq() >= 0) {
                    out.writeByte(OP_FREQ);
                    out.writeByte(Math.min(h.lfuFreq(), 255));
                }
            }
        }
        out.writeByte(type);
        if (!dumpMode) {
            out.writeString(h.key());
        }
        headWritten = true;
    }

    // ---------------------------------------------------------------- strings

    private void stringPart(StringPart p) throws IOException {
        if (stringDone) {
            throw new IllegalStateException("string part after the last one");
        }
        byte[] d = p.data();
        if (!stringStreamed && spill.size() == 0 && stringBytes == 0 && p.last()) {
            writeHead(T_STRING);
            out.writeString(d);
            stringBytes = d.length;
            stringDone = true;
            return;
        }
        if (!stringStreamed && stringBytes == 0 && h.sizeHint() >= 0) {
            // the total is known: stream the parts raw instead of holding the value
            writeHead(T_STRING);
            out.writeLen(h.sizeHint());
            stringStreamed = true;
        }
        stringBytes += d.length;
        if (stringStreamed) {
            if (stringBytes > h.sizeHint()) {
                throw mismatch(stringBytes, h.sizeHint());
            }
            out.write(d, 0, d.length);
        } else {
            spill.write(d, 0, d.length);
        }
        stringDone = p.last();
    }

    private void endString() throws IOException {
        if (stringStreamed) {
            if (stringBytes != h.sizeHint()) {
                throw mismatch(stringBytes, h.sizeHint());
            }
            return;
        }
        if (headWritten) {
            return;
        }
        writeHead(T_STRING);
        if (!spill.spilled()) {
            out.writeString(spill.memArray(), 0, (int) spill.size());
        } else {
            out.writeLen(spill.size());
            try (InputStream in = spill.open()) {
                out.copyFrom(in, spill.size());
            }
        }
    }

    private RedkitException mismatch(long got, long hint) {
        return new RedkitException(ErrorKind.INTEGRITY, sink, h.offset(), keyContext(),
                "string parts: found " + got + " bytes (expected " + hint + " from the key's size hint)");
    }

    // ---------------------------------------------------------------- lists

    private void listElement(byte[] e) throws IOException {
        count++;
        if (version < 10) {
            spillOut.writeString(e);
            return;
        }
        if (e.length >= LIST_NODE_MAX_BYTES) {
            // an element that does not fit a node goes alone into a PLAIN node
            flushListNode();
            spillOut.writeLen(QUICKLIST_PLAIN);
            spillOut.writeString(e);
            nodes++;
            return;
        }
        if (lp.size() > 0 && (lp.byteSize() + e.length + LIST_NODE_ENTRY_OVERHEAD > LIST_NODE_MAX_BYTES
                || lp.size() >= 65535)) {
            flushListNode();
        }
        lpAdd(e);
    }

    private void flushListNode() throws IOException {
        if (lp.size() == 0) {
            return;
        }
        spillOut.writeLen(QUICKLIST_PACKED);
        spillOut.writeString(lp.toByteArray());
        nodes++;
        lp.reset();
    }

    private void endList() throws IOException {
        if (count == 0) {
            return;
        }
        if (version < 10) {
            writeHead(T_LIST);
            out.writeLen(count);
        } else {
            flushListNode();
            writeHead(T_LIST_QUICKLIST_2);
            out.writeLen(nodes);
        }
        copySpill();
    }

    private void copySpill() throws IOException {
        spillOut.flushBuffer();
        try (InputStream in = spill.open()) {
            out.copyFrom(in, spill.size());
        }
    }

    // ---------------------------------------------------------------- sets

    private void setMember(byte[] m) throws IOException {
        count++;
        maxLen = Math.max(maxLen, m.length);
        if (allInts && !IntText.isInt(m)) {
            allInts = false;
        }
        spill.writeBytes(m);
    }

    private void endSet() throws IOException {
        if (count == 0) {
            return;
        }
        try (DataInputStream in = new DataInputStream(spill.open())) {
            if (allInts && count <= SET_MAX_INTSET_ENTRIES) {
                long[] v = new long[(int) count];
                for (int i = 0; i < count; i++) {
                    byte[] b = SpillBuffer.readBytes(in);
                    v[i] = IntText.parse(b, 0, b.length);
                }
                Arrays.sort(v);
                int n = dedupe(v);
                writeHead(T_SET_INTSET);
                out.writeString(IntsetEncoder.encode(v, n));
            } else if (version >= 11 && count <= SET_MAX_LISTPACK_ENTRIES && maxLen <= SET_MAX_LISTPACK_VALUE) {
                lp.reset();
                for (int i = 0; i < count; i++) {
                    lpAdd(SpillBuffer.readBytes(in));
                }
                writeHead(T_SET_LISTPACK);
                out.writeString(lp.toByteArray());
                lp.reset();
            } else {
                writeHead(T_SET);
                out.writeLen(count);
                for (long i = 0; i < count; i++) {
                    out.writeString(SpillBuffer.readBytes(in));
                }
            }
        }
    }

    private static int dedupe(long[] v) {
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (n == 0 || v[n - 1] != v[i]) {
                v[n++] = v[i];
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- sorted sets

    private void zsetMember(ScoredMember m) throws IOException {
        if (Double.isNaN(m.score())) {
            throw unsupported("sorted set member '" + Bytes.preview(m.member()) + "' has a NaN score");
        }
        count++;
        maxLen = Math.max(maxLen, m.member().length);
        spill.writeLong(Double.doubleToRawLongBits(m.score()));
        spill.writeBytes(m.member());
    }

    private void endZSet() throws IOException {
        if (count == 0) {
            return;
        }
        try (DataInputStream in = new DataInputStream(spill.open())) {
            if (version >= 10 && count <= ZSET_MAX_LISTPACK_ENTRIES && maxLen <= ZSET_MAX_LISTPACK_VALUE) {
                List<ScoredMember> all = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    double s = Double.longBitsToDouble(in.readLong());
                    all.add(new ScoredMember(SpillBuffer.readBytes(in), s));
                }
                // a listpack zset is kept sorted by (score, member): Redis relies on it for ranges
                all.sort(KeyWriter::zsetOrder);
                lp.reset();
                for (ScoredMember m : all) {
                    lpAdd(m.member());
                    lpAddScore(m.score());
                }
                writeHead(T_ZSET_LISTPACK);
                out.writeString(lp.toByteArray());
                lp.reset();
            } else {
                writeHead(version >= 8 ? T_ZSET_2 : T_ZSET);
                out.writeLen(count);
                for (long i = 0; i < count; i++) {
                    double s = Double.longBitsToDouble(in.readLong());
                    out.writeString(SpillBuffer.readBytes(in));
                    if (version >= 8) {
                        out.writeDoubleLe(s);
                    } else {
                        writeTextDouble(s);
                    }
                }
            }
        }
    }

    /** Redis's listpack order: by score with -0 equal to 0 (plain comparisons, not Double.compare), then member bytes. */
    private static int zsetOrder(ScoredMember a, ScoredMember b) {
        if (a.score() < b.score()) {
            return -1;
        }
        if (a.score() > b.score()) {
            return 1;
        }
        return Bytes.compare(a.member(), b.member());
    }

    private void lpAddScore(double s) {
        if (isNegativeZero(s)) {
            lp.addString(NEGATIVE_ZERO, 0, NEGATIVE_ZERO.length);
        } else if (s == Math.rint(s) && Math.abs(s) < 0x1p53) {
            lp.addInteger((long) s);
        } else {
            byte[] t = doubleText(s);
            lp.addString(t, 0, t.length);
        }
    }

    private void writeTextDouble(double s) throws IOException {
        if (Double.isInfinite(s)) {
            out.writeByte(s > 0 ? 254 : 255);
            return;
        }
        byte[] t = doubleText(s);
        out.writeByte(t.length);
        out.write(t, 0, t.length);
    }

    private static final byte[] NEGATIVE_ZERO = {'-', '0'};

    private static boolean isNegativeZero(double s) {
        return s == 0 && Double.doubleToRawLongBits(s) != 0;
    }

    /** Text that C's strtod reads back to the same double: integers plainly (and "-0"), else Java's shortest form. */
    static byte[] doubleText(double s) {
        String t;
        if (isNegativeZero(s)) {
            t = "-0";
        } else if (Double.isInfinite(s)) {
            t = s > 0 ? "inf" : "-inf";
        } else if (s == Math.rint(s) && Math.abs(s) < 0x1p53) {
            t = Long.toString((long) s);
        } else {
            t = Double.toString(s);
        }
        return t.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- hashes

    private void hashField(HashField f) throws IOException {
        long exp = f.expireAtMs();
        if (exp == 0) {
            // 0 means "no TTL" in Redis layouts; epoch+1 ms is just as expired (Valkey can hold a real 0)
            exp = 1;
        }
        if (exp >= 0) {
            if (!anyTtl) {
                need(12, "hash field TTLs");
                anyTtl = true;
            }
            if (exp > HASH_FIELD_EXPIRE_MAX) {
                throw unsupported("hash field '" + Bytes.preview(f.field()) + "' expires at " + exp
                        + " ms, above Redis's maximum " + HASH_FIELD_EXPIRE_MAX);
            }
            minExpire = Math.min(minExpire, exp);
        }
        count++;
        maxLen = Math.max(maxLen, Math.max(f.field().length, f.value().length));
        spill.writeLong(exp);
        spill.writeBytes(f.field());
        spill.writeBytes(f.value());
    }

    private void endHash() throws IOException {
        if (count == 0) {
            return;
        }
        boolean small = count <= HASH_MAX_LISTPACK_ENTRIES && maxLen <= HASH_MAX_LISTPACK_VALUE;
        try (DataInputStream in = new DataInputStream(spill.open())) {
            if (anyTtl && small) {
                List<HashField> all = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    long exp = in.readLong();
                    all.add(new HashField(SpillBuffer.readBytes(in), SpillBuffer.readBytes(in), exp));
                }
                // Redis keeps listpack-ex triplets ordered by expiry, fields without TTL last
                all.sort(Comparator.comparingLong(f -> f.expireAtMs() < 0 ? Long.MAX_VALUE : f.expireAtMs()));
                lp.reset();
                for (HashField f : all) {
                    lpAdd(f.field());
                    lpAdd(f.value());
                    lp.addInteger(Math.max(f.expireAtMs(), 0));
                }
                writeHead(T_HASH_LISTPACK_EX);
                out.writeInt64Le(minExpire);
                out.writeString(lp.toByteArray());
                lp.reset();
            } else if (anyTtl) {
                writeHead(T_HASH_METADATA);
                out.writeInt64Le(minExpire);
                out.writeLen(count);
                for (long i = 0; i < count; i++) {
                    long exp = in.readLong();
                    out.writeLen(exp < 0 ? 0 : exp - minExpire + 1);
                    out.writeString(SpillBuffer.readBytes(in));
                    out.writeString(SpillBuffer.readBytes(in));
                }
            } else if (version >= 10 && small) {
                lp.reset();
                for (int i = 0; i < count; i++) {
                    in.readLong();
                    lpAdd(SpillBuffer.readBytes(in));
                    lpAdd(SpillBuffer.readBytes(in));
                }
                writeHead(T_HASH_LISTPACK);
                out.writeString(lp.toByteArray());
                lp.reset();
            } else {
                writeHead(T_HASH);
                out.writeLen(count);
                for (long i = 0; i < count; i++) {
                    in.readLong();
                    out.writeString(SpillBuffer.readBytes(in));
                    out.writeString(SpillBuffer.readBytes(in));
                }
            }
        }
    }

    // ---------------------------------------------------------------- streams

    private void streamEntry(StreamEntry e) throws IOException {
        if (lastEntryId != null && e.id().compareTo(lastEntryId) <= 0) {
            throw new RedkitException(ErrorKind.INTEGRITY, sink, h.offset(), keyContext(),
                    "stream entry " + e.id() + " after " + lastEntryId + " (expected ascending IDs)");
        }
        if ((e.fieldsAndValues().size() & 1) != 0) {
            throw new RedkitException(ErrorKind.INTEGRITY, sink, h.offset(), keyContext(),
                    "stream entry " + e.id() + ": odd number of fields and values");
        }
        long size = 16;
        for (byte[] b : e.fieldsAndValues()) {
            size += b.length + 2;
        }
        if (!nodeEntries.isEmpty()
                && (nodeEntries.size() >= STREAM_NODE_MAX_ENTRIES || nodeBytes + size >= STREAM_NODE_MAX_BYTES)) {
            flushStreamNode();
        }
        nodeEntries.add(e);
        nodeBytes += size;
        if (firstEntryId == null) {
            firstEntryId = e.id();
        }
        lastEntryId = e.id();
        count++;
    }

    /**
     * One rax node: master entry (count, deleted, fields, 0) then each entry as flags, ms and seq
     * deltas from the master ID, [fields,] values, lp-count.
     */
    private void flushStreamNode() throws IOException {
        if (nodeEntries.isEmpty()) {
            return;
        }
        StreamEntry master = nodeEntries.get(0);
        List<byte[]> mfv = master.fieldsAndValues();
        int mf = mfv.size() / 2;
        lp.reset();
        lp.addInteger(nodeEntries.size());
        lp.addInteger(0);
        lp.addInteger(mf);
        for (int i = 0; i < mf; i++) {
            lpAdd(mfv.get(2 * i));
        }
        lp.addInteger(0);
        long mms = master.id().ms();
        long mseq = master.id().seq();
        for (StreamEntry e : nodeEntries) {
            List<byte[]> fv = e.fieldsAndValues();
            int n = fv.size() / 2;
            boolean same = n == mf;
            for (int i = 0; same && i < n; i++) {
                same = Arrays.equals(fv.get(2 * i), mfv.get(2 * i));
            }
            lp.addInteger(same ? 2 : 0);
            lp.addInteger(e.id().ms() - mms);
            lp.addInteger(e.id().seq() - mseq);
            if (same) {
                for (int i = 0; i < n; i++) {
                    lpAdd(fv.get(2 * i + 1));
                }
                lp.addInteger(n + 3);
            } else {
                lp.addInteger(n);
                for (byte[] b : fv) {
                    lpAdd(b);
                }
                lp.addInteger(2L * n + 4);
            }
        }
        byte[] nodeKey = new byte[16];
        for (int i = 0; i < 8; i++) {
            nodeKey[i] = (byte) (mms >>> (56 - 8 * i));
            nodeKey[8 + i] = (byte) (mseq >>> (56 - 8 * i));
        }
        spillOut.writeString(nodeKey);
        spillOut.writeString(lp.toByteArray());
        lp.reset();
        nodes++;
        nodeEntries.clear();
        nodeBytes = 0;
    }

    private void endStream() throws IOException {
        flushStreamNode();
        StreamIdmp idmp = meta == null ? null : meta.idmp();
        if (version < 13 && idmp != null && !idmp.producers().isEmpty()) {
            throw unsupported("stream idempotent-producer state needs RDB 13; target is RDB " + version);
        }
        writeHead(version >= 13 ? T_STREAM_LISTPACKS_4 : version >= 11 ? T_STREAM_LISTPACKS_3
                : version == 10 ? T_STREAM_LISTPACKS_2 : T_STREAM_LISTPACKS);
        out.writeLen(nodes);
        copySpill();
        StreamId last = meta != null && meta.lastId() != null ? meta.lastId() : StreamId.ZERO;
        if (lastEntryId != null && last.compareTo(lastEntryId) < 0) {
            last = lastEntryId;
        }
        // the source's length is kept even when it disagrees with the live entries (Redis 5 files
        // exist where it does, and Redis keeps and saves it as loaded)
        out.writeLen(meta != null && meta.length() >= 0 ? meta.length() : count);
        writeIdLens(last);
        if (version >= 10) {
            StreamId first = meta != null && meta.firstId() != null ? meta.firstId()
                    : firstEntryId != null ? firstEntryId : StreamId.ZERO;
            StreamId maxDel = meta != null && meta.maxDeletedId() != null ? meta.maxDeletedId() : StreamId.ZERO;
            long added = meta != null && meta.entriesAdded() >= 0 ? meta.entriesAdded() : count;
            writeIdLens(first);
            writeIdLens(maxDel);
            out.writeLen(added);
        }
        List<StreamGroup> groups = meta == null ? List.of() : meta.groups();
        out.writeLen(groups.size());
        for (StreamGroup g : groups) {
            out.writeString(g.name());
            writeIdLens(g.lastId());
            if (version >= 10) {
                out.writeLen(g.entriesRead());
            }
            out.writeLen(g.pending().size());
            for (StreamPending p : g.pending()) {
                out.writeStreamIdRaw(p.id().ms(), p.id().seq());
                out.writeInt64Le(p.deliveryTimeMs());
                out.writeLen(p.deliveryCount());
            }
            out.writeLen(g.consumers().size());
            for (StreamConsumer c : g.consumers()) {
                out.writeString(c.name());
                out.writeInt64Le(c.seenTimeMs());
                if (version >= 11) {
                    // -1 is "never active" in RDB 11+ sources but "not stored" in older ones, where
                    // Redis itself takes the seen time
                    long active = c.activeTimeMs() == -1 && activeTimeUnknown ? c.seenTimeMs() : c.activeTimeMs();
                    out.writeInt64Le(active);
                }
                out.writeLen(c.pending().size());
                for (StreamId id : c.pending()) {
                    out.writeStreamIdRaw(id.ms(), id.seq());
                }
            }
        }
        if (version >= 13) {
            writeIdmp(idmp);
        }
    }

    /** The RDB 13 trailer; Redis 8.6 writes it for every stream, with its default config when IDMP was never set. */
    private void writeIdmp(StreamIdmp idmp) throws IOException {
        if (idmp == null) {
            out.writeLen(IDMP_DEFAULT_DURATION);
            out.writeLen(IDMP_DEFAULT_MAX_ENTRIES);
            out.writeLen(0);
            out.writeLen(0);
            out.writeLen(0);
            return;
        }
        out.writeLen(idmp.durationSeconds());
        out.writeLen(idmp.maxEntries());
        out.writeLen(idmp.producers().size());
        for (StreamIdmp.Producer p : idmp.producers()) {
            out.writeString(p.producerId());
            out.writeLen(p.entries().size());
            for (StreamIdmp.Recorded rec : p.entries()) {
                out.writeString(rec.iid());
                // unlike PEL IDs, IDMP IDs are two lens
                writeIdLens(rec.id());
            }
        }
        out.writeLen(idmp.iidsAdded());
        out.writeLen(idmp.iidsDuplicates());
    }

    private void writeIdLens(StreamId id) throws IOException {
        if (id == null) {
            id = StreamId.ZERO;
        }
        out.writeLen(id.ms());
        out.writeLen(id.seq());
    }

    // ---------------------------------------------------------------- modules

    private void endModule() throws IOException {
        if (module == null) {
            throw new RedkitException(ErrorKind.INTEGRITY, sink, h.offset(), keyContext(),
                    "module key without its ModuleValue");
        }
        byte[] payload = ModulePayload.opcodeStream(module);
        if (payload == null) {
            throw unsupported("module value of type " + module.moduleType()
                    + " is not a module opcode stream (a pre-release type 6 value?); it cannot be written as type 7");
        }
        writeHead(T_MODULE_2);
        out.writeLen(module.moduleId());
        out.write(payload);
    }

    // ---------------------------------------------------------------- helpers

    /** Adds an element the way Redis's lpAppend does (the encoder turns canonical integer text into integer entries). */
    private void lpAdd(byte[] b) {
        lp.addString(b, 0, b.length);
    }

    private void need(int min, String what) throws RedkitException {
        if (version < min) {
            throw unsupported(what + " need RDB " + min + " or later; target is RDB " + version);
        }
    }

    private RedkitException unsupported(String detail) {
        return new RedkitException(ErrorKind.UNSUPPORTED, sink, h == null ? -1 : h.offset(), keyContext(), detail);
    }

    private String keyContext() {
        return h == null ? "" : "key '" + Bytes.preview(h.key()) + "' (db " + h.db() + ")";
    }

    @Override
    public void close() throws IOException {
        open = false;
        spill.close();
    }
}
