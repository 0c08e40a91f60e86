package io.redkit.formats.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.redkit.core.Bytes;
import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.Sink;
import io.redkit.formats.SinkOptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code json} format: one JSON document.
 *
 * <p>Default layout: a JSON array whose elements are exactly the jsonl objects (keys, function
 * libraries, module aux records, commands), one per line, in file order or canonical order with
 * {@link SinkOptions#sorted()}; see {@link JsonlSink}.
 *
 * <p>{@code compat("rdb-tools")}: the layout of redis-rdb-tools' {@code -c json}: an array with one
 * object per database (in the order databases appear), each mapping key to value: string to string,
 * list and set to arrays, hash to an object field to value, zset to an object member to score
 * (a number, or "inf"/"-inf"). Byte strings that are not UTF-8 become strings of the characters
 * U+0000..U+00FF, one per byte, as rdb-tools prints them. Types rdb-tools never knew: a stream is an
 * array of [id, {field: value}], an RDB 14 array an object index to value, a module value null;
 * expiries, functions, module aux and commands are not part of that layout and are left out.
 */
public final class JsonSink implements Sink {
    /** The compat name of redis-rdb-tools' layout. */
    public static final String COMPAT_RDB_TOOLS = "rdb-tools";

    private final Sink delegate;

    /** A json sink with the given options ({@code compat}, {@code sorted}, {@code tempDir}). */
    public JsonSink(OutputStream out, SinkOptions options) throws IOException {
        String compat = options.compat();
        if (compat == null || compat.isEmpty()) {
            delegate = new JsonlSink(out, options, true);
        } else if (COMPAT_RDB_TOOLS.equals(compat)) {
            delegate = new RdbToolsJson(out, options);
        } else {
            throw new IllegalArgumentException("unknown json compat layout '" + compat + "' (known: rdb-tools)");
        }
    }

    @Override
    public void accept(Event event) throws IOException {
        delegate.accept(event);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** The rdb-tools layout, streamed: an object per database, a member per key. */
    private static final class RdbToolsJson implements Sink {
        private final OutputStream out;
        private final JsonGenerator g;
        private final SinkOptions options;
        private int db = -1;
        private KeyHeader header;
        private boolean valueOpen;
        private boolean valueDone;
        private BigString big;
        private boolean closed;

        RdbToolsJson(OutputStream out, SinkOptions options) throws IOException {
            this.out = out;
            this.options = options;
            this.g = JsonText.generator(out);
            g.writeStartArray();
        }

        @Override
        public void accept(Event e) throws IOException {
            switch (e.kind()) {
                case KEY_START -> startKey(((KeyStart) e).header());
                case STRING_PART -> {
                    StringPart p = (StringPart) e;
                    if (big == null && p.last() && !valueDone) {
                        writeStr(p.data());
                        valueDone = true;
                    } else {
                        if (big == null) {
                            big = new BigString(KeyRenderer.BIG_STRING_MEMORY, options.tempDir());
                        }
                        big.add(p.data());
                    }
                }
                case ELEMENTS -> {
                    open(false);
                    for (byte[] b : ((Elements) e).items()) {
                        writeStr(b);
                    }
                }
                case HASH_FIELDS -> {
                    open(true);
                    for (HashField f : ((HashFields) e).fields()) {
                        g.writeFieldName(str(f.field()));
                        writeStr(f.value());
                    }
                }
                case ZSET_MEMBERS -> {
                    open(true);
                    for (ScoredMember m : ((ZSetMembers) e).members()) {
                        g.writeFieldName(str(m.member()));
                        JsonText.writeScore(g, m.score());
                    }
                }
                case STREAM_ENTRIES -> {
                    open(false);
                    for (StreamEntry se : ((StreamEntries) e).entries()) {
                        g.writeStartArray();
                        g.writeString(se.id().toString());
                        g.writeStartObject();
                        List<byte[]> fv = se.fieldsAndValues();
                        for (int i = 0; i + 1 < fv.size(); i += 2) {
                            g.writeFieldName(str(fv.get(i)));
                            writeStr(fv.get(i + 1));
                        }
                        g.writeEndObject();
                        g.writeEndArray();
                    }
                }
                case ARRAY_ELEMENTS -> {
                    open(true);
                    for (ArrayElement el : ((ArrayElements) e).elements()) {
                        g.writeFieldName(Long.toUnsignedString(el.index()));
                        writeStr(el.value());
                    }
                }
                case KEY_END -> endKey();
                default -> {
                    // framing, functions, module aux and commands have no place in this layout
                }
            }
        }

        private void startKey(KeyHeader h) throws IOException {
            if (h.db() != db) {
                if (db >= 0) {
                    g.writeEndObject();
                }
                g.writeStartObject();
                db = h.db();
            }
            header = h;
            valueOpen = false;
            valueDone = false;
            g.writeFieldName(str(h.key()));
        }

        private void open(boolean object) throws IOException {
            if (!valueOpen) {
                if (object) {
                    g.writeStartObject();
                } else {
                    g.writeStartArray();
                }
                valueOpen = true;
            }
        }

        private void endKey() throws IOException {
            DataType t = header.type();
            if (big != null) {
                try {
                    big.writeLatin1Json(g, out);
                } finally {
                    big.close();
                    big = null;
                }
                valueDone = true;
            }
            boolean object = t == DataType.HASH || t == DataType.ZSET || t == DataType.ARRAY;
            if (!valueOpen && !valueDone) {
                if (t == DataType.STRING) {
                    g.writeString("");
                } else if (t == DataType.MODULE) {
                    g.writeNull();
                } else {
                    open(object);
                }
            }
            if (valueOpen) {
                if (object) {
                    g.writeEndObject();
                } else {
                    g.writeEndArray();
                }
            }
            header = null;
        }

        private void writeStr(byte[] b) throws IOException {
            if (Bytes.isUtf8(b, 0, b.length)) {
                g.writeUTF8String(b, 0, b.length);
            } else {
                g.writeString(new String(b, StandardCharsets.ISO_8859_1));
            }
        }

        private static String str(byte[] b) {
            return Bytes.isUtf8(b, 0, b.length) ? new String(b, StandardCharsets.UTF_8)
                    : new String(b, StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (big != null) {
                big.close();
                big = null;
            }
            if (header == null) {
                if (db >= 0) {
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeRaw('\n');
            }
            g.close();
            out.flush();
        }
    }
}
