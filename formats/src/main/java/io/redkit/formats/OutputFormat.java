package io.redkit.formats;

import io.redkit.core.sink.Sink;
import io.redkit.formats.json.JsonSink;
import io.redkit.formats.json.JsonlSink;
import io.redkit.formats.memory.MemorySink;
import io.redkit.formats.resp.RespSink;
import io.redkit.formats.text.CountSink;
import io.redkit.formats.text.KeysSink;
import io.redkit.rdb.writer.RdbWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The output formats of {@code redkit dump -f NAME}, each able to make its sink. Every sink
 * flushes the stream on close but never closes it (the caller owns it, e.g. stdout).
 */
public enum OutputFormat {
    /** One JSON object per key and line ({@link JsonlSink}). */
    JSONL,
    /** One JSON document ({@link JsonSink}), {@code compat("rdb-tools")} for redis-rdb-tools' layout. */
    JSON,
    /** Redis commands in RESP for {@code redis-cli --pipe} ({@link RespSink}). */
    RESP,
    /** A valid RDB file ({@link RdbWriter}); {@link SinkOptions#rdbVersion()} picks the version. */
    RDB,
    /** Key names, one per line ({@link KeysSink}); {@link SinkOptions#printDb()} adds the db. */
    KEYS,
    /** Key counts per db, type and encoding ({@link CountSink}); text or JSON. */
    COUNT,
    /** redis-rdb-tools' memory-report CSV ({@link MemorySink}). */
    MEMORY;

    /** The name used on the command line, e.g. {@code jsonl}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format of a command-line name (case-insensitive); null if unknown. */
    public static OutputFormat fromId(String s) {
        for (OutputFormat f : values()) {
            if (f.id().equalsIgnoreCase(s)) {
                return f;
            }
        }
        return null;
    }

    /** A new sink of this format writing to {@code out}. */
    public Sink create(OutputStream out, SinkOptions options) throws IOException {
        return switch (this) {
            case JSONL -> new JsonlSink(out, options);
            case JSON -> new JsonSink(out, options);
            case RESP -> new RespSink(out);
            case RDB -> {
                RdbWriter.Builder b = RdbWriter.Options.builder();
                if (options.rdbVersion() > 0) {
                    b.version(options.rdbVersion());
                }
                if (options.tempDir() != null) {
                    b.tempDir(options.tempDir());
                }
                yield new RdbWriter(out, b.build());
            }
            case KEYS -> new KeysSink(out, options.printDb());
            case COUNT -> new CountSink(out, options.jsonReport());
            case MEMORY -> new MemorySink(out);
        };
    }
}
