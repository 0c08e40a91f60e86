package io.redkit.rdb;

import io.redkit.core.Bytes;
import io.redkit.core.ErrorKind;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Aux;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleAux;
import io.redkit.core.event.ResizeDb;
import io.redkit.core.event.SelectDb;
import io.redkit.core.event.SlotInfo;
import io.redkit.core.event.SourceKind;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.encoding.Crc64;
import io.redkit.rdb.encoding.Lzf;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Streaming pull reader for RDB files of every version Redis (1..15) and Valkey (80) wrote.
 *
 * <pre>
 * "REDIS0012" | "VALKEY080"   header, decides dialect and tables
 * { opcode payload | [prefixes] type key value }*
 * 0xFF  crc64(LE, 8 bytes, v5+)
 * </pre>
 *
 * {@link #next()} returns {@link Begin}, metadata events, and for each key {@link KeyStart}, its
 * value parts (bounded chunks), {@link KeyEnd}; then {@link End} and null. Memory stays bounded by
 * the chunk limits whatever the size of the file or of one value. After an error the reader is
 * failed for good and rethrows it.
 */
public final class RdbReader implements EventSource {
    private enum State { HEADER, TOP, VALUE, DONE, FAILED }

    final RdbInput in;
    final Limits limits;
    private final boolean allowFutureVersion;
    private final boolean captureRaw;
    final boolean skipEmptyKeys;
    private final boolean verifyChecksum;
    private final InputStream rawStream;

    private State state = State.HEADER;
    private IOException failure;
    Dialect dialect;
    int version;
    private int db;

    private long pendingExpire = -1;
    private long pendingIdle = -1;
    private int pendingFreq = -1;

    KeyHeader header;
    private ValueCursor cursor;
    private RdbType currentType;
    private long emptyKeysSkipped;
    /** Hash templates of an RDB 15 file: id to field names, kept until EOF. */
    final Map<Long, byte[][]> templates = new HashMap<>();
    long templateBytes;

    private RdbReader(Builder b) {
        this.rawStream = b.readAhead ? new CrcPrefetcher(b.in, b.source) : b.in;
        this.in = new RdbInput(rawStream, b.source);
        this.limits = b.limits;
        this.allowFutureVersion = b.allowFutureVersion;
        this.captureRaw = b.captureRawPayload;
        this.skipEmptyKeys = b.skipEmptyKeys;
        this.verifyChecksum = b.verifyChecksum;
    }

    /** A reader with default options over {@code in}; {@code source} names it in messages. */
    public static RdbReader open(InputStream in, String source) {
        return builder(in, source).build();
    }

    public static Builder builder(InputStream in, String source) {
        return new Builder(in, source);
    }

    /** The dialect from the header, null before the first {@link #next()}. */
    public Dialect dialect() {
        return dialect;
    }

    /** The RDB version from the header, 0 before the first {@link #next()}. */
    public int version() {
        return version;
    }

    /** Byte offset of the next unread byte. */
    public long offset() {
        return in.offset();
    }

    /** Empty collection keys skipped so far (only with {@link Builder#skipEmptyKeys(boolean)}). */
    public long emptyKeysSkipped() {
        return emptyKeysSkipped;
    }

    @Override
    public Event next() throws IOException {
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            return advance();
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Marks the reader failed for good and returns the error to throw: input errors as they are, a
     * runtime error (a bug, never bad input by design) wrapped with the position it happened at.
     */
    private IOException fail(Exception e) {
        state = State.FAILED;
        failure = e instanceof IOException io ? io
                : new RedkitException(ErrorKind.INTEGRITY, in.source(), in.offset(), context(), "unexpected " + e, e);
        return failure;
    }

    @Override
    public void skipValue() throws IOException {
        // the next call to next() emits KeyEnd, without a raw payload
        finishValue(false, "skipValue()");
    }

    /**
     * Right after {@link KeyStart}: reads the rest of the value and checks it as fully as
     * {@link #next()} would (structure, lengths, scores, compressed payloads), but makes no value
     * parts; the next call to next() emits its {@link KeyEnd}.
     */
    @Override
    public void checkValue() throws IOException {
        finishValue(true, "checkValue()");
    }

    /** Reads the rest of the current value without making parts, checking it ({@code check}) or only skipping it. */
    private void finishValue(boolean check, String call) throws IOException {
        if (state != State.VALUE) {
            throw new IllegalStateException(call + " is only valid after KeyStart");
        }
        try {
            if (check) {
                cursor.check();
            } else {
                cursor.skip();
            }
        } catch (IOException | RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean rawPayloadKept() {
        return state == State.VALUE && captureRaw && in.captureMark() >= 0;
    }

    /**
     * After {@link End}: the input that follows the RDB (the AOF part of a file with an RDB
     * preamble), starting at {@link #offset()}. The reader must not be used afterwards.
     */
    public InputStream remainder() {
        if (state != State.DONE) {
            throw new IllegalStateException("remainder() is only available after the End event");
        }
        return in.remainder();
    }

    @Override
    public void close() throws IOException {
        rawStream.close();
    }

    /** What is being read, for error messages. */
    String context() {
        if (header != null && state == State.VALUE) {
            return "value of key '" + Bytes.preview(header.key()) + "' (" + currentType.name().toLowerCase() + ")";
        }
        return "top level";
    }

    private Event advance() throws IOException {
        switch (state) {
            case HEADER:
                return readHeader();
            case VALUE: {
                Event part = cursor.nextPart();
                if (part != null) {
                    return part;
                }
                byte[] raw = null;
                if (in.capturing()) {
                    byte[] body = in.stopCapture();
                    if (body != null && !cursor.skipped) {
                        raw = new byte[body.length + 1];
                        raw[0] = (byte) cursor.typeByte;
                        System.arraycopy(body, 0, raw, 1, body.length);
                    }
                }
                KeyEnd end = new KeyEnd(header, raw, in.offset());
                state = State.TOP;
                cursor = null;
                header = null;
                return end;
            }
            case TOP:
                return readTop();
            case DONE:
                return null;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private Event readHeader() throws IOException {
        byte[] magic = new byte[9];
        in.readFully(magic, 0, 9, "header");
        if (startsWith(magic, "REDIS")) {
            dialect = Dialect.REDIS;
            version = digits(magic, 5, 4);
        } else if (startsWith(magic, "VALKEY")) {
            dialect = Dialect.VALKEY;
            version = digits(magic, 6, 3);
        } else {
            throw new RedkitException(ErrorKind.BAD_MAGIC, in.source(), 0, "header",
                    "found '" + Bytes.preview(magic) + "' (expected REDIS + 4 digits or VALKEY + 3 digits)");
        }
        int versionOffset = dialect == Dialect.REDIS ? 5 : 6;
        if (version < 0) {
            throw new RedkitException(ErrorKind.BAD_VERSION, in.source(), versionOffset, "header",
                    "version digits '" + Bytes.preview(magic) + "' are not a number");
        }
        int max = RdbTables.maxVersion(dialect);
        boolean tooOld = dialect == Dialect.REDIS ? version < 1 : version < RdbTables.VALKEY_MIN_VERSION;
        boolean foreign = dialect == Dialect.REDIS && version >= RdbTables.VALKEY_MIN_VERSION;
        if (tooOld || foreign || (version > max && !allowFutureVersion)) {
            throw new RedkitException(ErrorKind.BAD_VERSION, in.source(), versionOffset, "header",
                    "RDB version " + version + " of dialect " + dialect + " is not supported (known: "
                            + (dialect == Dialect.REDIS ? "1.." + max : "80.." + max)
                            + (version > max && !foreign ? "; --allow-future-version reads it on a best-effort basis)" : ")"));
        }
        state = State.TOP;
        return new Begin(SourceKind.RDB, in.source(), dialect, version, 0);
    }

    private static boolean startsWith(byte[] b, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (b[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int digits(byte[] b, int off, int n) {
        int v = 0;
        for (int i = off; i < off + n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private Event readTop() throws IOException {
        while (true) {
            long opOffset = in.offset();
            int b = in.readByte("opcode or value type");
            if (b >= RdbTables.OP_242) {
                Event e = readOpcode(b, opOffset);
                if (e != null) {
                    return e;
                }
                if (state == State.DONE) {
                    return null;
                }
                continue;
            }
            if (dialect == Dialect.REDIS && (b == RdbTables.OP_ENT_RAM_LRU || b == RdbTables.OP_ENT_SLOT_NUM)) {
                // Redis Enterprise per-key hints: one length each, nothing a reader needs
                readLen("Redis Enterprise opcode " + b);
                continue;
            }
            RdbType type = RdbTables.type(dialect, b);
            if (type == null) {
                throw new RedkitException(ErrorKind.UNKNOWN_TYPE, in.source(), opOffset, "top level",
                        "byte 0x" + Integer.toHexString(b) + " is no value type or opcode of " + dialect + " RDB " + version);
            }
            Event e = startKey(type, b, opOffset);
            if (e != null) {
                return e;
            }
        }
    }

    private Event readOpcode(int op, long opOffset) throws IOException {
        switch (op) {
            case RdbTables.OP_EOF:
                return readEof(opOffset);
            case RdbTables.OP_SELECTDB: {
                long n = readLen("SELECTDB");
                if (n < 0 || n > Integer.MAX_VALUE) {
                    throw corrupt(opOffset, "SELECTDB", "database number " + Long.toUnsignedString(n) + " out of range");
                }
                db = (int) n;
                return new SelectDb(db, opOffset);
            }
            case RdbTables.OP_EXPIRETIME:
                pendingExpire = (in.readIntLE("EXPIRETIME") & 0xFFFFFFFFL) * 1000L;
                return null;
            case RdbTables.OP_EXPIRETIME_MS:
                pendingExpire = in.readLongLE("EXPIRETIME_MS");
                return null;
            case RdbTables.OP_RESIZEDB: {
                long keys = readLen("RESIZEDB");
                long expires = readLen("RESIZEDB");
                return new ResizeDb(keys, expires, opOffset);
            }
            case RdbTables.OP_AUX: {
                byte[] name = readString("AUX name");
                byte[] value = readString("AUX value");
                return new Aux(name, value, opOffset);
            }
            case RdbTables.OP_FREQ:
                pendingFreq = in.readByte("FREQ");
                return null;
            case RdbTables.OP_IDLE:
                pendingIdle = readLen("IDLE");
                return null;
            case RdbTables.OP_MODULE_AUX: {
                long moduleId = readLen("MODULE_AUX module id");
                long whenOp = readLen("MODULE_AUX when opcode");
                if (whenOp != ModuleStream.OP_UINT) {
                    throw corrupt(opOffset, "MODULE_AUX", "when opcode " + whenOp + " (expected 2)");
                }
                long when = readLen("MODULE_AUX when");
                int mark = startTee();
                ModuleStream.skip(this, "MODULE_AUX payload of module " + ModuleStream.name(moduleId));
                byte[] payload = endTee(mark);
                return new ModuleAux(ModuleStream.name(moduleId), moduleId, (int) when, payload, opOffset);
            }
            case RdbTables.OP_FUNCTION_PRE_GA: {
                byte[] name = readString("FUNCTION name");
                byte[] engine = readString("FUNCTION engine");
                long hasDesc = readLen("FUNCTION has-description");
                if (hasDesc != 0) {
                    readString("FUNCTION description");
                }
                byte[] code = readString("FUNCTION code");
                // 7.0 release candidates stored the body without its shebang; Redis 7.0 adds it on load
                byte[] head = ("#!" + new String(engine, java.nio.charset.StandardCharsets.ISO_8859_1) + " name="
                        + new String(name, java.nio.charset.StandardCharsets.ISO_8859_1) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                byte[] lib = java.util.Arrays.copyOf(head, head.length + code.length);
                System.arraycopy(code, 0, lib, head.length, code.length);
                return new FunctionLibrary(lib, opOffset);
            }
            case RdbTables.OP_FUNCTION2:
                return new FunctionLibrary(readString("FUNCTION2 library"), opOffset);
            case RdbTables.OP_SLOT_INFO: {
                long slot = readLen("SLOT_INFO slot");
                long keys = readLen("SLOT_INFO keys");
                long expires = readLen("SLOT_INFO expires");
                if (slot < 0 || slot >= 16384) {
                    throw corrupt(opOffset, "SLOT_INFO", "slot " + slot + " (expected 0..16383)");
                }
                return new SlotInfo((int) slot, keys, expires, opOffset);
            }
            case RdbTables.OP_243:
                if (dialect == Dialect.VALKEY) {
                    readSlotImport(opOffset);
                } else {
                    readKeyMeta(opOffset);
                }
                return null;
            case RdbTables.OP_242:
                if (dialect == Dialect.VALKEY) {
                    throw new RedkitException(ErrorKind.UNSUPPORTED, in.source(), opOffset, "top level",
                            "Valkey UPDATE opcode (242) of unreleased Valkey versions is not supported");
                }
                readHashTemplate(opOffset);
                return null;
            default:
                throw new RedkitException(ErrorKind.UNKNOWN_TYPE, in.source(), opOffset, "top level",
                        "opcode 0x" + Integer.toHexString(op) + " is not defined");
        }
    }

    /** Valkey SLOT_IMPORT: a job name and slot ranges being imported; nothing a dump needs. */
    private void readSlotImport(long opOffset) throws IOException {
        readString("SLOT_IMPORT job name");
        long n = readLen("SLOT_IMPORT range count");
        if (n < 0 || n > 16384) {
            throw corrupt(opOffset, "SLOT_IMPORT", "range count " + n + " (expected at most 16384)");
        }
        for (long i = 0; i < n; i++) {
            readLen("SLOT_IMPORT start slot");
            readLen("SLOT_IMPORT end slot");
        }
    }

    /** Redis 8.6 KEY_META: module key-metadata classes, skipped with the module opcode skipper. */
    private void readKeyMeta(long opOffset) throws IOException {
        long n = readLen("KEY_META class count");
        if (n < 0 || n > 7) {
            throw corrupt(opOffset, "KEY_META", "class count " + n + " (expected 0..7)");
        }
        for (long i = 0; i < n; i++) {
            in.readIntLE("KEY_META class spec");
            ModuleStream.skip(this, "KEY_META class value");
        }
    }

    private void readHashTemplate(long opOffset) throws IOException {
        long id = readLen("HASH_TEMPLATE id");
        long n = readLen("HASH_TEMPLATE field count");
        limits.checkElementCount(n, in.source(), opOffset, "HASH_TEMPLATE");
        if (n == 0) {
            throw corrupt(opOffset, "HASH_TEMPLATE", "field count 0 (expected at least 1)");
        }
        if (templates.containsKey(id)) {
            throw corrupt(opOffset, "HASH_TEMPLATE", "template id " + id + " defined twice");
        }
        java.util.ArrayList<byte[]> names = new java.util.ArrayList<>();
        byte[] prev = null;
        for (long i = 0; i < n; i++) {
            byte[] name = readString("HASH_TEMPLATE field name");
            templateBytes += name.length + 16;
            if (templateBytes > limits.maxStringBytes()) {
                throw new io.redkit.core.LimitExceededException(in.source(), opOffset, "HASH_TEMPLATE",
                        "total template bytes", templateBytes, limits.maxStringBytes(), "--max-string-bytes");
            }
            if (prev != null && (prev.length > name.length || (prev.length == name.length && Bytes.compare(prev, name) >= 0))) {
                throw corrupt(opOffset, "HASH_TEMPLATE", "field names are not strictly ascending by (length, bytes)");
            }
            names.add(name);
            prev = name;
        }
        templates.put(id, names.toArray(new byte[0][]));
    }

    private Event readEof(long opOffset) throws IOException {
        state = State.DONE;
        long stored = 0;
        boolean verified = false;
        if (version >= 5) {
            long computed = in.crc();
            in.stopCrc();
            long trailerOffset = in.offset();
            stored = in.readLongLE("CRC64 trailer");
            if (stored != 0 && verifyChecksum) {
                if (stored != computed) {
                    throw checksumMismatch(stored, computed, trailerOffset);
                }
                verified = true;
            }
        }
        return new End(stored, verified, opOffset);
    }

    private RedkitException checksumMismatch(long stored, long computed, long trailerOffset) {
        long syndrome = stored ^ computed;
        long at;
        String where;
        if (Long.bitCount(syndrome) > 0 && singleByte(syndrome)) {
            at = trailerOffset;
            where = "the stored checksum itself differs from the data's in one byte";
        } else {
            at = Crc64.locateSingleByteError(syndrome, trailerOffset);
            where = at >= 0 ? "a single changed byte at offset " + at + " would explain it"
                    : "more than one byte differs";
            if (at < 0) {
                at = trailerOffset;
            }
        }
        return new RedkitException(ErrorKind.CHECKSUM, in.source(), at, "CRC64 trailer",
                String.format("stored 0x%016x, computed 0x%016x (%s)", stored, computed, where));
    }

    private static boolean singleByte(long v) {
        for (int i = 0; i < 8; i++) {
            if ((v & ~(0xFFL << (8 * i))) == 0) {
                return true;
            }
        }
        return false;
    }

    private Event startKey(RdbType type, int typeByte, long keyOffset) throws IOException {
        byte[] key = readString("key");
        long expire = pendingExpire;
        long idle = pendingIdle;
        int freq = pendingFreq;
        pendingExpire = -1;
        pendingIdle = -1;
        pendingFreq = -1;
        // provisional header so errors while opening the value name the key
        currentType = type;
        header = new KeyHeader(db, key, type.dataType(), type.encoding(), expire, idle, freq, -1, keyOffset);
        state = State.VALUE;
        if (captureRaw) {
            in.startCapture(limits.chunkBytes());
        }
        ValueCursor c = ValueCursor.open(this, type, typeByte);
        if (c.empty) {
            if (!skipEmptyKeys) {
                throw new RedkitException(ErrorKind.EMPTY_KEYS, in.source(), keyOffset, context(),
                        "the " + type.dataType().id() + " has no elements (Redis skips such keys while loading; use --skip-corrupt to skip them)");
            }
            c.skip();
            if (in.capturing()) {
                in.stopCapture();
            }
            emptyKeysSkipped++;
            state = State.TOP;
            header = null;
            return null;
        }
        cursor = c;
        if (c.sizeHint >= 0) {
            header = new KeyHeader(db, key, type.dataType(), type.encoding(), expire, idle, freq, c.sizeHint, keyOffset);
        }
        return new KeyStart(header);
    }

    // ---- primitives shared with the value cursors ----

    /** Set by {@link #readLenOrEncoding} when the byte was a special string encoding (11xxxxxx). */
    boolean lastWasEncoding;

    /** Reads an RDB length; throws when it is a special string encoding. */
    long readLen(String what) throws IOException {
        long off = in.offset();
        long v = readLenOrEncoding(what);
        if (lastWasEncoding) {
            throw corrupt(off, what, "found string encoding " + v + " where a length is expected");
        }
        return v;
    }

    long readLenOrEncoding(String what) throws IOException {
        int b = in.readByte(what);
        lastWasEncoding = false;
        switch (b >>> 6) {
            case 0:
                return b & 0x3F;
            case 1:
                return ((b & 0x3F) << 8) | in.readByte(what);
            case 2:
                if (b == 0x80) {
                    return in.readIntBE(what) & 0xFFFFFFFFL;
                }
                if (b == 0x81) {
                    return in.readLongBE(what);
                }
                throw corrupt(in.offset() - 1, what, "length prefix 0x" + Integer.toHexString(b) + " (expected 0x80 or 0x81)");
            default:
                lastWasEncoding = true;
                return b & 0x3F;
        }
    }

    /** Reads a length and checks it as an element count. */
    long readCount(String what) throws IOException {
        long off = in.offset();
        long n = readLen(what);
        if (n < 0 || n > limits.maxElements()) {
            // the message is built only when the check fails: counts are read for every key
            limits.checkElementCount(n, in.source(), off, context() + " " + what);
        }
        return n;
    }

    /** Reads a whole string (any encoding), bounded by the limits. */
    byte[] readString(String what) throws IOException {
        long off = in.offset();
        long len = readLenOrEncoding(what);
        if (lastWasEncoding) {
            return readEncodedString((int) len, off, what);
        }
        limits.checkStringLength(len, in.source(), off, what);
        return in.readBytes((int) len, what);
    }

    byte[] readEncodedString(int enc, long off, String what) throws IOException {
        switch (enc) {
            case 0:
                return Numbers.decimal((byte) in.readByte(what));
            case 1: {
                int lo = in.readByte(what);
                int hi = in.readByte(what);
                return Numbers.decimal((short) (lo | hi << 8));
            }
            case 2:
                return Numbers.decimal(in.readIntLE(what));
            case 3: {
                long clen = readLen(lzfLabels(what)[0]);
                long ulen = readLen(lzfLabels(what)[1]);
                limits.checkStringLength(clen, in.source(), off, what);
                limits.checkStringLength(ulen, in.source(), off, what);
                if (clen <= RdbInput.SLICE_MAX) {
                    // decompressed straight from the input buffer: no copy of the compressed bytes
                    byte[] b = in.slice((int) clen, what);
                    return Lzf.decompress(b, in.sliceStart(), (int) clen, (int) ulen, lzfContext(off, what));
                }
                byte[] c = in.readBytes((int) clen, what);
                return Lzf.decompress(c, 0, c.length, (int) ulen, lzfContext(off, what));
            }
            default:
                throw corrupt(off, what, "string encoding " + enc + " (expected 0..3)");
        }
    }

    /** Strings up to this size are read into the reused buffers of {@link #readStringShared}. */
    private static final int SHARED_MAX = 1 << 20;
    private byte[] sharedOut = new byte[256];
    private byte[] sharedIn = new byte[256];
    /** Length of the string {@link #readStringShared} returned last. */
    int sharedLen;

    /**
     * Reads a whole string with the checks of {@link #readString}, into a buffer reused across
     * calls where it is small enough: valid until the next call, its length is {@link #sharedLen}.
     * For checking values whose bytes are not kept.
     */
    byte[] readStringShared(String what) throws IOException {
        long off = in.offset();
        long len = readLenOrEncoding(what);
        if (lastWasEncoding) {
            if (len != 3) {
                byte[] v = readEncodedString((int) len, off, what);
                sharedLen = v.length;
                return v;
            }
            byte[] v = readLzfShared(off, what);
            sharedLen = lzfLen;
            return v;
        }
        limits.checkStringLength(len, in.source(), off, what);
        if (len > SHARED_MAX) {
            byte[] v = in.readBytes((int) len, what);
            sharedLen = v.length;
            return v;
        }
        sharedLen = (int) len;
        return readShared((int) len, what);
    }

    /**
     * Checks a string as {@link #readString} would (lengths against the limits, an LZF payload
     * decompressed and validated) without keeping its bytes.
     */
    void checkString(String what) throws IOException {
        passString(what, true);
    }

    /** Length of the string {@link #readLzfShared} returned last. */
    private int lzfLen;

    /**
     * The rest of an LZF string (after its encoding byte) decompressed with every check of
     * {@link #readEncodedString}, into the reused buffer when it is small enough.
     */
    private byte[] readLzfShared(long off, String what) throws IOException {
        long clen = readLen(lzfLabels(what)[0]);
        long ulen = readLen(lzfLabels(what)[1]);
        limits.checkStringLength(clen, in.source(), off, what);
        limits.checkStringLength(ulen, in.source(), off, what);
        io.redkit.rdb.encoding.BlobContext ctx = lzfContext(off, what);
        if (clen > SHARED_MAX || ulen > SHARED_MAX) {
            byte[] c = in.readBytes((int) clen, what);
            byte[] v = Lzf.decompress(c, 0, c.length, (int) ulen, ctx);
            lzfLen = v.length;
            return v;
        }
        lzfLen = (int) ulen;
        return decompressShared((int) clen, (int) ulen, what, ctx);
    }

    /**
     * An LZF payload whose lengths were read and bounded already, decompressed with every check of
     * {@link Lzf#decompress(byte[], int, int, int, io.redkit.rdb.encoding.BlobContext)} into the
     * reused buffer (sizes up to {@link #SHARED_MAX} only). Valid until the next shared read.
     */
    byte[] decompressShared(int clen, int ulen, String what, io.redkit.rdb.encoding.BlobContext ctx) throws IOException {
        Lzf.checkLengths(clen, ulen, ctx);
        byte[] c;
        int cOff;
        if (clen <= RdbInput.SLICE_MAX) {
            c = in.slice(clen, what);
            cOff = in.sliceStart();
        } else {
            if (sharedIn.length < clen) {
                sharedIn = new byte[Math.max(clen, sharedIn.length * 2)];
            }
            in.readFully(sharedIn, 0, clen, what);
            c = sharedIn;
            cOff = 0;
        }
        if (sharedOut.length < ulen) {
            sharedOut = new byte[Math.max(ulen, sharedOut.length * 2)];
        }
        Lzf.decompress(c, cOff, clen, sharedOut, 0, ulen, ctx);
        return sharedOut;
    }

    /** {@code len} raw bytes (at most {@link #SHARED_MAX}, bounded already) into the reused buffer. */
    byte[] readShared(int len, String what) throws IOException {
        if (sharedOut.length < len) {
            sharedOut = new byte[Math.max(len, sharedOut.length * 2)];
        }
        in.readFully(sharedOut, 0, len, what);
        return sharedOut;
    }

    private String lzfLabelsOf;
    private String[] lzfLabels;

    /**
     * The labels of an LZF string read as {@code what}, made once per distinct label (callers pass
     * constants, so this is one comparison per compressed string instead of three concatenations).
     */
    private String[] lzfLabels(String what) {
        if (what != lzfLabelsOf) {
            lzfLabels = new String[] {what + " (LZF compressed length)", what + " (LZF length)", "LZF string (" + what + ")"};
            lzfLabelsOf = what;
        }
        return lzfLabels;
    }

    private io.redkit.rdb.encoding.BlobContext lzfContext(long off, String what) {
        return new io.redkit.rdb.encoding.BlobContext(in.source(), off, lzfLabels(what)[2],
                header != null && state == State.VALUE ? header.key() : null);
    }

    /** Skips a string without decoding it. */
    void skipString(String what) throws IOException {
        passString(what, false);
    }

    /** Reads past a string without keeping it; with {@code check} an LZF payload is decompressed and validated. */
    private void passString(String what, boolean check) throws IOException {
        long off = in.offset();
        long len = readLenOrEncoding(what);
        if (lastWasEncoding) {
            switch ((int) len) {
                case 0 -> in.skip(1, what);
                case 1 -> in.skip(2, what);
                case 2 -> in.skip(4, what);
                case 3 -> {
                    if (check) {
                        readLzfShared(off, what);
                    } else {
                        long clen = readLen(what);
                        readLen(what);
                        limits.checkStringLength(clen, in.source(), off, what);
                        in.skip(clen, what);
                    }
                }
                default -> throw corrupt(off, what, "string encoding " + len + " (expected 0..3)");
            }
            return;
        }
        limits.checkStringLength(len, in.source(), off, what);
        in.skip(len, what);
    }

    /** Starts recording consumed bytes for a raw module payload; returns a mark. */
    int startTee() {
        if (!in.capturing()) {
            in.startCapture((int) Math.min(limits.maxStringBytes(), Integer.MAX_VALUE - 16));
            teeOwned = true;
            return 0;
        }
        teeOwned = false;
        return in.captureMark();
    }

    private boolean teeOwned;

    /** The bytes consumed since {@link #startTee()}; null when they did not fit the capture. */
    byte[] endTee(int mark) {
        if (teeOwned) {
            teeOwned = false;
            return in.stopCapture();
        }
        return mark < 0 ? null : in.captured(mark);
    }

    RedkitException corrupt(long offset, String what, String detail) {
        return new RedkitException(ErrorKind.INTEGRITY, in.source(), offset, what, detail);
    }

    /** Options for {@link RdbReader}. */
    public static final class Builder {
        private final InputStream in;
        private final String source;
        private Limits limits = Limits.defaults();
        private boolean allowFutureVersion;
        private boolean captureRawPayload;
        private boolean skipEmptyKeys;
        private boolean verifyChecksum = true;
        private boolean readAhead = true;

        private Builder(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        /** Reads versions newer than the tables know on a best-effort basis. */
        public Builder allowFutureVersion(boolean v) {
            this.allowFutureVersion = v;
            return this;
        }

        /** Hands each value's raw DUMP-style body over in {@link KeyEnd#rawPayload()} when it fits a chunk. */
        public Builder captureRawPayload(boolean v) {
            this.captureRawPayload = v;
            return this;
        }

        /** Skips collection keys without elements (as Redis's loader does) instead of failing. */
        public Builder skipEmptyKeys(boolean v) {
            this.skipEmptyKeys = v;
            return this;
        }

        /** Compares the CRC64 trailer (default true). */
        public Builder verifyChecksum(boolean v) {
            this.verifyChecksum = v;
            return this;
        }

        /**
         * Reads ahead and checksums on a second thread (default true); off, everything runs on the
         * caller's thread and nothing is read beyond what the reader consumes.
         */
        public Builder readAhead(boolean v) {
            this.readAhead = v;
            return this;
        }

        public RdbReader build() {
            return new RdbReader(this);
        }
    }
}
