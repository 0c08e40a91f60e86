package io.redkit.cli.command;

import io.redkit.core.sink.Sink;
import io.redkit.formats.SinkOptions;
import io.redkit.formats.json.JsonSink;
import io.redkit.formats.json.JsonlSink;
import io.redkit.formats.resp.RespSink;
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
        switch (this) {
            case jsonl:
                return new JsonlSink(out, options);
            case json:
                return new JsonSink(out, options);
            case resp:
                return new RespSink(out);
            case rdb:
                RdbWriter.Builder b = RdbWriter.Options.builder();
                if (options.rdbVersion() > 0) {
                    b.version(options.rdbVersion());
                }
                return new RdbWriter(out, b.build());
            default:
                throw new UnsupportedOperationException("format " + name() + " is not available yet");
        }
    }
}
