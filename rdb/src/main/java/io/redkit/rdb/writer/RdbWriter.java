package io.redkit.rdb.writer;

import static io.redkit.rdb.writer.RdbFormat.*;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Aux;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleAux;
import io.redkit.core.event.SlotInfo;
import io.redkit.core.sink.Sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A sink that writes the event stream as an RDB file (REDIS dialect, versions 7 to 13) that a
 * redis-server of that version loads (RDB 13: Redis 8.6; every stream then carries its IDMP trailer). Values get the encoding Redis itself picks on save with
 * default config; big values are held in temp files, never whole in the heap. Below RDB 10 small
 * collections are written in their plain forms (types 1, 2, 4, 5/3) instead of ziplists; Redis
 * converts them on load. The caller owns the output stream: {@link #close()} flushes but does not close it.
 * A value the target version cannot hold fails with a {@link RedkitException} of kind UNSUPPORTED
 * before any of its bytes are written; a caller may catch it and go on feeding events (the rest
 * of that key is ignored up to its KeyEnd). Any other error leaves the writer failed.
 */
public final class RdbWriter implements Sink {
    private static final Set<String> OWN_AUX = Set.of("redis-ver", "redis-bits", "ctime", "used-mem", "aof-base",
            "aof-preamble");

    /**
     * Writer settings.
     *
     * @param version        target RDB version, 7..13
     * @param compress       LZF-compress strings longer than 20 bytes when it saves at least 4 bytes
     * @param writeAux       write redis-ver, redis-bits, ctime, used-mem and aof-base/aof-preamble itself
     *                       (source AUX fields of those names are then dropped)
     * @param checksum       write the CRC64 trailer (else 0, "not computed")
     * @param spillThreshold bytes of one value held in the heap before it moves to a temp file
     * @param tempDir        where spill files go
     */
    public record Options(int version, boolean compress, boolean writeAux, boolean checksum, int spillThreshold,
                          Path tempDir) {
        /** Checks the settings. */
        public Options {
            if (version < MIN_VERSION || version > MAX_VERSION) {
                throw new IllegalArgumentException("RDB version " + version + " cannot be written (supported: "
                        + MIN_VERSION + ".." + MAX_VERSION + ")");
            }
            if (spillThreshold < 1024) {
                throw new IllegalArgumentException("spillThreshold " + spillThreshold + " is below 1024");
            }
            Objects.requireNonNull(tempDir, "tempDir");
        }

        /** RDB 12, LZF on, own AUX fields, CRC64, 8 MiB in heap per value, spill in java.io.tmpdir. */
        public static Options defaults() {
            return builder().build();
        }

        /** A builder starting from the defaults. */
        public static Builder builder() {
            return new Builder();
        }

        /** This with another target version. */
        public Options withVersion(int v) {
            return new Options(v, compress, writeAux, checksum, spillThreshold, tempDir);
        }
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
        private int version = DEFAULT_VERSION;
        private boolean compress = true;
        private boolean writeAux = true;
        private boolean checksum = true;
        private int spillThreshold = 8 << 20;
        private Path tempDir = Paths.get(System.getProperty("java.io.tmpdir"));

        private Builder() {
        }

        /** Target RDB version, 7..13 (default 12). */
        public Builder version(int v) {
            this.version = v;
            return this;
        }

        /** LZF compression of strings (default on, like rdbcompression yes). */
        public Builder compress(boolean b) {
            this.compress = b;
            return this;
        }

        /** Whether the writer writes its own server AUX fields (default on). */
        public Builder writeAux(boolean b) {
            this.writeAux = b;
            return this;
        }

        /** Whether to compute the CRC64 trailer (default on). */
        public Builder checksum(boolean b) {
            this.checksum = b;
            return this;
        }

        /** Bytes of one value kept in the heap before spilling to a temp file (default 8 MiB). */
        public Builder spillThreshold(int bytes) {
            this.spillThreshold = bytes;
            return this;
        }

        /** Directory for spill files (default java.io.tmpdir). */
        public Builder tempDir(Path dir) {
            this.tempDir = dir;
            return this;
        }

        /** The options. */
        public Options build() {
            return new Options(version, compress, writeAux, checksum, spillThreshold, tempDir);
        }
    }

    private final RdbOut out;
    private final Options opts;
    private final KeyWriter keys;
    private final String name;
    private boolean headerWritten;
    private boolean ended;
    private int currentDb = -1;
    /** The current key was refused (UNSUPPORTED): its remaining parts are ignored up to KeyEnd. */
    private boolean skippingKey;
    private IOException failure;

    /** A writer of an RDB file into {@code out} (which the caller closes). */
    public RdbWriter(OutputStream out, Options opts) {
        this.opts = Objects.requireNonNull(opts, "opts");
        this.out = new RdbOut(Objects.requireNonNull(out, "out"), opts.compress());
        this.name = "rdb writer (RDB " + opts.version() + ")";
        this.keys = new KeyWriter(this.out, opts.version(), opts.compress(), false, opts.spillThreshold(),
                opts.tempDir(), name);
    }

    /** The settings in use. */
    public Options options() {
        return opts;
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return out.position();
    }

    @Override
    public void accept(Event e) throws IOException {
        if (failure != null) {
            throw new IllegalStateException("writer failed earlier: " + failure.getMessage(), failure);
        }
        if (ended) {
            throw new IllegalStateException("event " + e.kind() + " after End");
        }
        if (skippingKey) {
            if (e.kind() == EventKind.KEY_END) {
                skippingKey = false;
            }
            return;
        }
        try {
            dispatch(e);
        } catch (RedkitException ex) {
            if (ex.kind() == ErrorKind.UNSUPPORTED && !(keys.isOpen() && keys.headWritten())) {
                if (keys.isOpen()) {
                    keys.abort();
                    skippingKey = e.kind() != EventKind.KEY_END;
                }
                throw ex;
            }
            failure = ex;
            throw ex;
        } catch (IOException | RuntimeException ex) {
            failure = ex instanceof IOException io ? io : new IOException(ex);
            throw ex;
        }
    }

    private void dispatch(Event e) throws IOException {
        switch (e.kind()) {
            case BEGIN:
                keys.sourceVersion(((Begin) e).rdbVersion());
                header();
                break;
            case AUX:
                aux((Aux) e);
                break;
            case SELECT_DB:
            case RESIZE_DB:
                // SELECTDB is written before the first key of each db (empty or filtered dbs cost nothing);
                // RESIZEDB is dropped: after filtering its counts would be wrong, and it is only a hint
                header();
                break;
            case SLOT_INFO:
                slotInfo((SlotInfo) e);
                break;
            case FUNCTION_LIBRARY:
                function((FunctionLibrary) e);
                break;
            case MODULE_AUX:
                moduleAux((ModuleAux) e);
                break;
            case KEY_START:
                keyStart(((KeyStart) e).header());
                break;
            case STRING_PART:
            case ELEMENTS:
            case HASH_FIELDS:
            case ZSET_MEMBERS:
            case STREAM_ENTRIES:
            case STREAM_META:
            case ARRAY_ELEMENTS:
            case MODULE_VALUE:
                keys.part(e);
                break;
            case KEY_END:
                keys.end();
                break;
            case COMMAND:
                throw new RedkitException(ErrorKind.UNSUPPORTED, name, e.offset(), "command",
                        "commands cannot be written to an RDB file (load them into a server or the KV engine first)");
            case END:
                end();
                break;
            default:
                throw new IllegalStateException("unknown event " + e.kind());
        }
    }

    private void header() throws IOException {
        if (headerWritten) {
            return;
        }
        headerWritten = true;
        out.write(String.format(Locale.ROOT, "REDIS%04d", opts.version()).getBytes(StandardCharsets.US_ASCII));
        if (opts.writeAux()) {
            auxField("redis-ver", serverVersionFor(opts.version()));
            auxField("redis-bits");
            out.writeString(64);
            auxField("ctime");
            out.writeString(System.currentTimeMillis() / 1000);
            auxField("used-mem");
            out.writeString(0);
            if (opts.version() >= 10) {
                auxField("aof-base");
                out.writeString(0);
            } else if (opts.version() >= 8) {
                auxField("aof-preamble");
                out.writeString(0);
            }
        }
    }

    /** The Redis release that writes a given RDB version (what redis-ver says in our files). */
    static String serverVersionFor(int rdbVersion) {
        switch (rdbVersion) {
            case 7:
                return "3.2.13";
            case 8:
                return "4.0.14";
            case 9:
                return "6.2.14";
            case 10:
                return "7.0.15";
            case 11:
                return "7.2.5";
            case 12:
                return "7.4.1";
            default:
                return "8.6.0";
        }
    }

    private void auxField(String n) throws IOException {
        out.writeByte(OP_AUX);
        out.writeString(n.getBytes(StandardCharsets.US_ASCII));
    }

    private void auxField(String n, String v) throws IOException {
        auxField(n);
        out.writeString(v.getBytes(StandardCharsets.US_ASCII));
    }

    private void aux(Aux a) throws IOException {
        header();
        if (opts.writeAux()
                && OWN_AUX.contains(new String(a.name(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT))) {
            return;
        }
        out.writeByte(OP_AUX);
        out.writeString(a.name());
        out.writeString(a.value());
    }

    private void slotInfo(SlotInfo s) throws IOException {
        header();
        if (opts.version() >= 12) {
            out.writeByte(OP_SLOT_INFO);
            out.writeLen(s.slot());
            out.writeLen(s.keys());
            out.writeLen(s.expires());
        }
    }

    private void function(FunctionLibrary f) throws IOException {
        header();
        if (opts.version() < 10) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, name, f.offset(), "function library",
                    "function libraries need RDB 10 or later; target is RDB " + opts.version());
        }
        out.writeByte(OP_FUNCTION2);
        out.writeString(f.code());
    }

    private void moduleAux(ModuleAux m) throws IOException {
        header();
        if (opts.version() < 9) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, name, m.offset(), "module aux of " + m.moduleName(),
                    "module aux data needs RDB 9 or later; target is RDB " + opts.version());
        }
        if (!ModulePayload.isOpcodeStream(m.payload())) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, name, m.offset(), "module aux of " + m.moduleName(),
                    "payload is not a module opcode stream");
        }
        out.writeByte(OP_MODULE_AUX);
        out.writeLen(m.moduleId());
        out.writeLen(2);
        out.writeLen(m.when());
        out.write(m.payload());
    }

    private void keyStart(KeyHeader h) throws IOException {
        header();
        if (h.db() != currentDb) {
            out.writeByte(OP_SELECTDB);
            out.writeLen(h.db());
            currentDb = h.db();
        }
        keys.start(h);
    }

    private void end() throws IOException {
        header();
        if (keys.isOpen()) {
            throw new IllegalStateException("End inside a key");
        }
        out.writeByte(OP_EOF);
        long crc = opts.checksum() ? out.crc() : 0;
        out.writeInt64Le(crc);
        out.flush();
        ended = true;
    }

    /** True once the End event has been written (the file is complete). */
    public boolean isComplete() {
        return ended;
    }

    /** Flushes and deletes any temp file; without a prior End the output is an incomplete RDB. */
    @Override
    public void close() throws IOException {
        try {
            keys.close();
        } finally {
            out.flush();
        }
    }

    /**
     * The DUMP/RESTORE payload of one key from its collected events (KeyStart, value parts, KeyEnd):
     * type byte, value, RDB version as uint16 LE, CRC64 LE. See {@link DumpPayload}.
     */
    public static byte[] dumpPayload(List<Event> keyEvents, int rdbVersion) throws IOException {
        return DumpPayload.build(keyEvents, rdbVersion);
    }
}
