package io.redkit.cli.command;

import io.redkit.core.sink.Sink;
import io.redkit.formats.SinkOptions;
import io.redkit.formats.json.JsonSink;
import io.redkit.formats.json.JsonlSink;
import io.redkit.formats.memory.MemorySink;
import io.redkit.formats.resp.RespSink;
import io.redkit.formats.text.CountSink;
import io.redkit.formats.text.KeysSink;
import io.redkit.rdb.writer.RdbWriter;

import java.io.IOException;
import java.io.OutputStream;

/** The values of {@code dump -f}, each able to make its sink. */
public enum DumpFormat {
    /** One JSON object per key and line. */
    jsonl,
    /** One JSON document. */
    json,
    /** Redis commands in RESP, for {@code redis-cli --pipe}. */
    resp,
    /** An RDB file. */
    rdb,
    /** Key names, one per line. */
    keys,
    /** Key counts per database, type and encoding. */
    count,
    /** One CSV row per key with its estimated memory (redis-rdb-tools' memory report). */
    memory;

    /** A sink of this format over {@code out}; the sink flushes {@code out} on close but does not close it. */
    public Sink newSink(OutputStream out, SinkOptions options) throws IOException {
        return switch (this) {
            case jsonl -> new JsonlSink(out, options);
            case json -> new JsonSink(out, options);
            case resp -> new RespSink(out);
            case rdb -> new RdbWriter(out, rdbOptions(options.rdbVersion()));
            case keys -> new KeysSink(out, options.printDb());
            case count -> new CountSink(out, options.jsonReport());
            case memory -> new MemorySink(out);
        };
    }

    /**
     * The RDB writer's settings for {@code --rdb-version} ({@code -1}: the writer's default).
     *
     * @throws IllegalArgumentException when the writer cannot write that version
     */
    public static RdbWriter.Options rdbOptions(int version) {
        RdbWriter.Builder b = RdbWriter.Options.builder();
        if (version != -1) {
            b.version(version);
        }
        return b.build();
    }
}
