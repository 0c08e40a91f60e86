package io.redkit.formats.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleAux;
import io.redkit.core.sink.Sink;
import io.redkit.formats.SinkOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The {@code jsonl} format: one JSON object per key, function library, module aux record and
 * command, one per line (the jsonl contract of DESIGN.md). Keys: {@code db, key, type, expire_ms,
 * value}, plus {@code encoding} when the source names it, {@code field_expire_ms} for hash fields
 * with a TTL, {@code module_type} (value null) for module keys, {@code insert_idx} for arrays.
 * Other lines: {@code {"function": code}}, {@code {"module_aux": name, "when": 1|2}} and
 * {@code {"db": n, "command": [args...], "ts": unix-seconds}} ({@code ts} only when the AOF
 * carried a timestamp).
 *
 * <p>In file order (the default) each value is written as its parts arrive, so memory stays
 * bounded; only a string that arrives in several parts is held (in memory up to 32 MB, then in a
 * temporary file) because its UTF-8-or-base64 form depends on all of its bytes, and the hash
 * fields that carry their own TTL are remembered until the key ends, since
 * {@code field_expire_ms} follows the value. With
 * {@link SinkOptions#sorted()} the output is canonical: key lines sorted by (db, key bytes),
 * preceded by the non-key lines in file order; set members, hash fields and zset members sorted;
 * stream groups and consumers sorted by name. Each key is then held whole while it is rendered,
 * and rendered lines are held up to {@link SinkOptions#sortBudgetBytes()} and spilled to sorted
 * temporary runs beyond that. The sink flushes but does not close the stream it writes to.
 */
public final class JsonlSink implements Sink {
    private final OutputStream out;
    private final boolean array;
    private final boolean sorted;
    private final JsonGenerator g;
    private final KeyRenderer renderer;
    private final ByteArrayOutputStream lineBuf;
    private final SortedLines sorter;
    private boolean first = true;
    private boolean closed;

    /** A jsonl sink in file order. */
    public JsonlSink(OutputStream out) throws IOException {
        this(out, SinkOptions.defaults());
    }

    /** A jsonl sink, canonical when {@code sorted}. */
    public JsonlSink(OutputStream out, boolean sorted) throws IOException {
        this(out, SinkOptions.builder().sorted(sorted).build());
    }

    /** A jsonl sink with the given options ({@code sorted}, {@code tempDir}, {@code sortBudgetBytes}). */
    public JsonlSink(OutputStream out, SinkOptions options) throws IOException {
        this(out, options, false);
    }

    /** The same records as one JSON array (the default layout of {@link JsonSink}). */
    JsonlSink(OutputStream out, SinkOptions options, boolean array) throws IOException {
        this.out = out;
        this.array = array;
        this.sorted = options.sorted();
        if (sorted) {
            lineBuf = new ByteArrayOutputStream(1 << 12);
            g = JsonText.generator(lineBuf);
            renderer = new KeyRenderer(g, lineBuf, true, options.tempDir());
            sorter = new SortedLines(options.sortBudgetBytes(), options.tempDir());
        } else {
            lineBuf = null;
            g = JsonText.generator(out);
            renderer = new KeyRenderer(g, out, false, options.tempDir());
            sorter = null;
        }
    }

    @Override
    public void accept(Event e) throws IOException {
        switch (e.kind()) {
            case KEY_START -> {
                beginRecord();
                renderer.start(((KeyStart) e).header());
            }
            case STRING_PART, ELEMENTS, HASH_FIELDS, ZSET_MEMBERS, STREAM_ENTRIES, STREAM_META, ARRAY_ELEMENTS,
                 MODULE_VALUE -> renderer.part(e);
            case KEY_END -> {
                KeyHeader h = renderer.header();
                renderer.end();
                endRecord(h.db(), h.key());
            }
            case FUNCTION_LIBRARY -> {
                beginRecord();
                g.writeStartObject();
                g.writeFieldName(JsonText.FUNCTION);
                JsonText.writeS(g, ((FunctionLibrary) e).code());
                g.writeEndObject();
                endRecord(Integer.MIN_VALUE, null);
            }
            case MODULE_AUX -> {
                ModuleAux m = (ModuleAux) e;
                beginRecord();
                g.writeStartObject();
                g.writeFieldName(JsonText.MODULE_AUX);
                g.writeString(m.moduleName());
                g.writeFieldName(JsonText.WHEN);
                g.writeNumber(m.when());
                g.writeEndObject();
                endRecord(Integer.MIN_VALUE, null);
            }
            case COMMAND -> {
                Command c = (Command) e;
                beginRecord();
                g.writeStartObject();
                g.writeFieldName(JsonText.DB);
                g.writeNumber(c.db());
                g.writeFieldName(JsonText.COMMAND);
                g.writeStartArray();
                for (byte[] a : c.argv()) {
                    JsonText.writeS(g, a);
                }
                g.writeEndArray();
                if (c.timestampS() >= 0) {
                    g.writeFieldName(JsonText.TS);
                    g.writeNumber(c.timestampS());
                }
                g.writeEndObject();
                endRecord(Integer.MIN_VALUE, null);
            }
            default -> {
                // framing events (header, aux, db changes, end) have no line of their own
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (renderer.header() != null) {
                // input failed mid-key: leave that line cut, drop its held state
                renderer.reset();
            }
            g.close();
            if (sorted) {
                sorter.drain(line -> {
                    writeSeparator(out);
                    out.write(line);
                    if (!array) {
                        out.write('\n');
                    }
                });
            }
            if (array) {
                out.write(first ? new byte[]{'['} : new byte[]{'\n'});
                out.write(']');
                out.write('\n');
            }
            out.flush();
        } finally {
            if (sorter != null) {
                sorter.close();
            }
        }
    }

    private void beginRecord() throws IOException {
        if (!sorted && array) {
            g.flush();
            writeSeparator(out);
        }
    }

    private void writeSeparator(OutputStream o) throws IOException {
        if (array) {
            o.write(first ? '[' : ',');
            o.write('\n');
        }
        first = false;
    }

    private void endRecord(int db, byte[] key) throws IOException {
        if (sorted) {
            g.flush();
            byte[] line = lineBuf.toByteArray();
            lineBuf.reset();
            sorter.add(db, key == null ? EMPTY : key, line);
        } else if (!array) {
            g.writeRaw('\n');
        }
    }

    private static final byte[] EMPTY = new byte[0];
}
