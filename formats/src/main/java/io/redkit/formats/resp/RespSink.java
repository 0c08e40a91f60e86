package io.redkit.formats.resp;

import io.redkit.core.Bytes;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StreamPending;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.Sink;
import io.redkit.formats.Scores;
import io.redkit.rdb.encoding.Crc64;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code resp} format: Redis commands that rebuild the data, loadable with
 * {@code redis-cli --pipe}.
 *
 * <ul>
 * <li>SELECT whenever the db changes (also before the first key or command);</li>
 * <li>string: SET of the first megabyte, APPEND per further megabyte;</li>
 * <li>list RPUSH, set SADD, hash HSET, zset ZADD, in commands of at most {@value #MAX_ELEMENTS}
 *     elements or about {@value #MAX_COMMAND_BYTES} bytes; scores as integers, the shortest
 *     round-trip decimal, or inf/-inf;</li>
 * <li>then PEXPIREAT for a key TTL, HPEXPIREAT per hash field with a TTL (after the HSET that
 *     created it);</li>
 * <li>stream: XADD of each entry with its ID, an empty stream created with
 *     {@code XGROUP CREATE ... MKSTREAM} on a scratch group, then XSETID (with ENTRIESADDED and
 *     MAXDELETEDID when the file has them), XGROUP CREATE per group (with ENTRIESREAD when known),
 *     XGROUP CREATECONSUMER per consumer and one {@code XCLAIM ... TIME ms RETRYCOUNT n FORCE JUSTID}
 *     per pending ID. Limits: delivery times and counts are restored but consumers' seen/active
 *     times are not; pending IDs whose entry was deleted are dropped by Redis; NACKs owned by no
 *     consumer are not restored;</li>
 * <li>module and RDB 14 array values: {@code RESTORE key ttl payload [ABSTTL]} when the reader
 *     handed over the raw payload, else the key is skipped and counted ({@link #skippedKeys()});</li>
 * <li>functions: {@code FUNCTION LOAD REPLACE code}; AOF/replication commands verbatim.</li>
 * </ul>
 * The sink flushes but does not close the stream.
 */
public final class RespSink implements Sink {
    /** Most elements (members, fields, entries) in one generated command. */
    public static final int MAX_ELEMENTS = 1000;
    /** Approximate byte bound of one generated command; a single larger element still goes alone. */
    public static final int MAX_COMMAND_BYTES = 1 << 20;

    private static final byte[] SELECT = ascii("SELECT");
    private static final byte[] SET = ascii("SET");
    private static final byte[] APPEND = ascii("APPEND");
    private static final byte[] RPUSH = ascii("RPUSH");
    private static final byte[] SADD = ascii("SADD");
    private static final byte[] HSET = ascii("HSET");
    private static final byte[] ZADD = ascii("ZADD");
    private static final byte[] XADD = ascii("XADD");
    private static final byte[] SCRATCH_GROUP = ascii("redkit-scratch-group");
    private static final int DEFAULT_DUMP_VERSION = 10;

    private final RespWriter w;
    private int db = -1;
    private int rdbVersion = -1;
    private KeyHeader header;
    private boolean wroteValue;
    private long stringOffset;
    private long skipped;
    private long keys;

    private byte[] batchCmd;
    private final List<byte[]> batch = new ArrayList<>();
    private long batchBytes;
    private int batchElements;
    private final List<HashField> batchTtls = new ArrayList<>();

    /** A RESP sink writing to {@code out}. */
    public RespSink(OutputStream out) {
        this.w = new RespWriter(out);
    }

    /** Keys skipped because their value can only be restored from a raw payload that was not available. */
    public long skippedKeys() {
        return skipped;
    }

    /** Keys written. */
    public long keysWritten() {
        return keys;
    }

    @Override
    public void accept(Event e) throws IOException {
        switch (e.kind()) {
            case BEGIN -> rdbVersion = ((Begin) e).rdbVersion();
            case KEY_START -> {
                header = ((KeyStart) e).header();
                wroteValue = false;
                stringOffset = 0;
                batchCmd = null;
            }
            case STRING_PART -> stringPart((StringPart) e);
            case ELEMENTS -> {
                byte[] cmd = header.type() == DataType.LIST ? RPUSH : SADD;
                for (byte[] b : ((Elements) e).items()) {
                    add(cmd, b, null, 1);
                }
            }
            case HASH_FIELDS -> {
                for (HashField f : ((HashFields) e).fields()) {
                    add(HSET, f.field(), f.value(), 1);
                    if (f.expireAtMs() >= 0) {
                        batchTtls.add(f);
                    }
                }
            }
            case ZSET_MEMBERS -> {
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    add(ZADD, ascii(Scores.redisText(m.score())), m.member(), 1);
                }
            }
            case STREAM_ENTRIES -> {
                for (StreamEntry se : ((StreamEntries) e).entries()) {
                    xadd(se);
                }
            }
            case STREAM_META -> streamMeta((StreamMeta) e);
            case KEY_END -> endKey((KeyEnd) e);
            case FUNCTION_LIBRARY -> {
                w.arrayHeader(4);
                w.bulkAscii("FUNCTION");
                w.bulkAscii("LOAD");
                w.bulkAscii("REPLACE");
                w.bulk(((FunctionLibrary) e).code());
            }
            case COMMAND -> {
                Command c = (Command) e;
                List<byte[]> argv = c.argv();
                if (argv.isEmpty()) {
                    return;
                }
                select(c.db());
                w.arrayHeader(argv.size());
                for (byte[] a : argv) {
                    w.bulk(a);
                }
                if (argv.size() == 2 && Arrays.equals(upper(argv.get(0)), SELECT)) {
                    // a SELECT passed through verbatim moves the loader's db too
                    Long target = Bytes.parseLong(argv.get(1));
                    if (target != null && target >= 0 && target <= Integer.MAX_VALUE) {
                        db = (int) (long) target;
                    }
                }
            }
            default -> {
                // framing events, module aux data and raw module values produce no command of their own
            }
        }
    }

    @Override
    public void close() throws IOException {
        w.flush();
    }

    private void select(int target) throws IOException {
        if (target != db) {
            w.arrayHeader(2);
            w.bulkAscii("SELECT");
            w.bulkLong(target);
            db = target;
        }
    }

    private void stringPart(StringPart p) throws IOException {
        byte[] d = p.data();
        int off = 0;
        do {
            int len = Math.min(MAX_COMMAND_BYTES, d.length - off);
            select(header.db());
            w.arrayHeader(3);
            w.bulk(stringOffset == 0 && off == 0 && !wroteValue ? SET : APPEND);
            w.bulk(header.key());
            w.bulk(d, off, len);
            wroteValue = true;
            off += len;
            stringOffset += len;
        } while (off < d.length);
    }

    /** Adds one element (one or two arguments) to the current batch, flushing first when it is full. */
    private void add(byte[] cmd, byte[] a, byte[] b, int n) throws IOException {
        long size = a.length + (b == null ? 0 : b.length) + 32L;
        if (batchCmd != null && (batchElements + n > MAX_ELEMENTS || batchBytes + size > MAX_COMMAND_BYTES)) {
            flushBatch();
        }
        batchCmd = cmd;
        batch.add(a);
        if (b != null) {
            batch.add(b);
        }
        batchElements += n;
        batchBytes += size;
    }

    private void flushBatch() throws IOException {
        if (batchCmd == null || batch.isEmpty()) {
            batchCmd = null;
            return;
        }
        select(header.db());
        w.arrayHeader(2 + batch.size());
        w.bulk(batchCmd);
        w.bulk(header.key());
        for (byte[] b : batch) {
            w.bulk(b);
        }
        wroteValue = true;
        batch.clear();
        batchBytes = 0;
        batchElements = 0;
        batchCmd = null;
        for (HashField f : batchTtls) {
            w.arrayHeader(6);
            w.bulkAscii("HPEXPIREAT");
            w.bulk(header.key());
            w.bulkLong(f.expireAtMs());
            w.bulkAscii("FIELDS");
            w.bulkAscii("1");
            w.bulk(f.field());
        }
        batchTtls.clear();
    }

    private void xadd(StreamEntry se) throws IOException {
        List<byte[]> fv = se.fieldsAndValues();
        select(header.db());
        w.arrayHeader(3 + fv.size());
        w.bulk(XADD);
        w.bulk(header.key());
        w.bulkAscii(se.id().toString());
        for (byte[] b : fv) {
            w.bulk(b);
        }
        wroteValue = true;
    }

    private void streamMeta(StreamMeta m) throws IOException {
        select(header.db());
        byte[] key = header.key();
        if (!wroteValue) {
            // XADD cannot create an empty stream; a scratch group with MKSTREAM can
            w.arrayHeader(6);
            w.bulkAscii("XGROUP");
            w.bulkAscii("CREATE");
            w.bulk(key);
            w.bulk(SCRATCH_GROUP);
            w.bulkAscii("0");
            w.bulkAscii("MKSTREAM");
            w.arrayHeader(4);
            w.bulkAscii("XGROUP");
            w.bulkAscii("DESTROY");
            w.bulk(key);
            w.bulk(SCRATCH_GROUP);
            wroteValue = true;
        }
        if (m.lastId() != null) {
            boolean counters = m.entriesAdded() >= 0 && m.maxDeletedId() != null;
            w.arrayHeader(counters ? 7 : 3);
            w.bulkAscii("XSETID");
            w.bulk(key);
            w.bulkAscii(m.lastId().toString());
            if (counters) {
                w.bulkAscii("ENTRIESADDED");
                w.bulkLong(m.entriesAdded());
                w.bulkAscii("MAXDELETEDID");
                w.bulkAscii(m.maxDeletedId().toString());
            }
        }
        for (StreamGroup g : m.groups()) {
            boolean read = g.entriesRead() >= 0;
            w.arrayHeader(read ? 7 : 5);
            w.bulkAscii("XGROUP");
            w.bulkAscii("CREATE");
            w.bulk(key);
            w.bulk(g.name());
            w.bulkAscii(g.lastId().toString());
            if (read) {
                w.bulkAscii("ENTRIESREAD");
                w.bulkLong(g.entriesRead());
            }
            Map<StreamId, StreamPending> pel = new HashMap<>();
            for (StreamPending p : g.pending()) {
                pel.put(p.id(), p);
            }
            for (StreamConsumer c : g.consumers()) {
                w.arrayHeader(5);
                w.bulkAscii("XGROUP");
                w.bulkAscii("CREATECONSUMER");
                w.bulk(key);
                w.bulk(g.name());
                w.bulk(c.name());
                for (StreamId id : c.pending()) {
                    StreamPending p = pel.get(id);
                    boolean meta = p != null;
                    w.arrayHeader(meta ? 12 : 8);
                    w.bulkAscii("XCLAIM");
                    w.bulk(key);
                    w.bulk(g.name());
                    w.bulk(c.name());
                    w.bulkAscii("0");
                    w.bulkAscii(id.toString());
                    if (meta) {
                        w.bulkAscii("TIME");
                        w.bulkLong(p.deliveryTimeMs());
                        w.bulkAscii("RETRYCOUNT");
                        w.bulkLong(p.deliveryCount());
                    }
                    w.bulkAscii("FORCE");
                    w.bulkAscii("JUSTID");
                }
            }
        }
    }

    private void endKey(KeyEnd e) throws IOException {
        try {
            flushBatch();
            DataType t = header.type();
            if (t == DataType.MODULE || t == DataType.ARRAY) {
                if (e.rawPayload() == null) {
                    skipped++;
                    return;
                }
                restore(e.rawPayload());
                keys++;
                return;
            }
            if (!wroteValue) {
                if (t != DataType.STRING) {
                    return; // Redis has no empty collections: nothing to create
                }
                stringPart(new StringPart(new byte[0], true, -1));
            }
            keys++;
            if (header.expireAtMs() >= 0) {
                w.arrayHeader(3);
                w.bulkAscii("PEXPIREAT");
                w.bulk(header.key());
                w.bulkLong(header.expireAtMs());
            }
        } finally {
            header = null;
        }
    }

    /** RESTORE of a DUMP payload: the raw value, then the RDB version and the CRC64 of both, little-endian. */
    private void restore(byte[] raw) throws IOException {
        int version = rdbVersion > 0 ? rdbVersion : DEFAULT_DUMP_VERSION;
        byte[] payload = new byte[raw.length + 10];
        System.arraycopy(raw, 0, payload, 0, raw.length);
        payload[raw.length] = (byte) version;
        payload[raw.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, payload, 0, raw.length + 2);
        for (int i = 0; i < 8; i++) {
            payload[raw.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        boolean ttl = header.expireAtMs() >= 0;
        select(header.db());
        w.arrayHeader(ttl ? 5 : 4);
        w.bulkAscii("RESTORE");
        w.bulk(header.key());
        w.bulkLong(ttl ? header.expireAtMs() : 0);
        w.bulk(payload);
        if (ttl) {
            w.bulkAscii("ABSTTL");
        }
    }

    private static byte[] upper(byte[] b) {
        if (b.length != SELECT.length) {
            return b;
        }
        byte[] u = b.clone();
        for (int i = 0; i < u.length; i++) {
            if (u[i] >= 'a' && u[i] <= 'z') {
                u[i] -= 32;
            }
        }
        return u;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
