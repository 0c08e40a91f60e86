package io.redkit.formats.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.Sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code count} format: keys counted per (db, type, encoding), plus function libraries and
 * commands, printed at close as an aligned text table or as JSON:
 * {@code {"keys": N, "functions": N, "commands": N, "by_db": {...}, "by_type": {...},
 * "rows": [{"db", "type", "encoding", "keys"}...]}}. Memory grows with the number of distinct
 * (db, type, encoding) triples only.
 */
public final class CountSink implements Sink {
    private record Row(int db, String type, String encoding) implements Comparable<Row> {
        @Override
        public int compareTo(Row o) {
            int c = Integer.compare(db, o.db);
            if (c == 0) {
                c = type.compareTo(o.type);
            }
            return c != 0 ? c : encoding.compareTo(o.encoding);
        }
    }

    private final OutputStream out;
    private final boolean json;
    private final Map<Row, long[]> rows = new TreeMap<>();
    private long keys;
    private long functions;
    private long commands;
    private boolean closed;
    /** The row of the previous key, and what it was counted under. */
    private long[] lastCount;
    private int lastDb = -1;
    private io.redkit.core.event.DataType lastType;
    private String lastEncoding;

    /** A count sink printing text, or JSON when {@code json}. */
    public CountSink(OutputStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Keys counted so far. */
    public long keys() {
        return keys;
    }

    @Override
    public void accept(Event e) throws IOException {
        switch (e.kind()) {
            case KEY_START -> {
                KeyHeader h = ((KeyStart) e).header();
                // keys of one kind usually come in runs: count those without a map lookup
                if (h.db() != lastDb || h.type() != lastType || !java.util.Objects.equals(h.encoding(), lastEncoding)) {
                    String enc = h.encoding() == null ? "-" : h.encoding();
                    lastCount = rows.computeIfAbsent(new Row(h.db(), h.type().id(), enc), r -> new long[1]);
                    lastDb = h.db();
                    lastType = h.type();
                    lastEncoding = h.encoding();
                }
                lastCount[0]++;
                keys++;
            }
            case FUNCTION_LIBRARY -> functions++;
            case COMMAND -> commands++;
            default -> {
            }
        }
    }

    /** Counts need key headers only: values are checked by the reader but never made into parts. */
    @Override
    public boolean wantsValues() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (json) {
            writeJson();
        } else {
            writeText();
        }
        out.flush();
    }

    private void writeText() {
        PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        int encW = "encoding".length();
        for (Row r : rows.keySet()) {
            encW = Math.max(encW, r.encoding.length());
        }
        String fmt = "%-4s %-8s %-" + encW + "s %12s%n";
        pw.printf(fmt, "db", "type", "encoding", "keys");
        for (Map.Entry<Row, long[]> en : rows.entrySet()) {
            Row r = en.getKey();
            pw.printf(fmt, r.db, r.type, r.encoding, en.getValue()[0]);
        }
        pw.printf(fmt, "all", "", "", keys);
        if (functions > 0) {
            pw.printf("function libraries: %d%n", functions);
        }
        if (commands > 0) {
            pw.printf("commands: %d%n", commands);
        }
        pw.flush();
    }

    private void writeJson() throws IOException {
        JsonGenerator g = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build()
                .createGenerator(out);
        g.writeStartObject();
        g.writeNumberField("keys", keys);
        g.writeNumberField("functions", functions);
        g.writeNumberField("commands", commands);
        Map<Integer, Long> byDb = new TreeMap<>();
        Map<String, Long> byType = new TreeMap<>();
        for (Map.Entry<Row, long[]> en : rows.entrySet()) {
            byDb.merge(en.getKey().db, en.getValue()[0], Long::sum);
            byType.merge(en.getKey().type, en.getValue()[0], Long::sum);
        }
        g.writeObjectFieldStart("by_db");
        for (Map.Entry<Integer, Long> en : byDb.entrySet()) {
            g.writeNumberField(Integer.toString(en.getKey()), en.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("by_type");
        for (Map.Entry<String, Long> en : byType.entrySet()) {
            g.writeNumberField(en.getKey(), en.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("rows");
        for (Map.Entry<Row, long[]> en : rows.entrySet()) {
            g.writeStartObject();
            g.writeNumberField("db", en.getKey().db);
            g.writeStringField("type", en.getKey().type);
            g.writeStringField("encoding", en.getKey().encoding);
            g.writeNumberField("keys", en.getValue()[0]);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeRaw('\n');
        g.close();
    }
}
