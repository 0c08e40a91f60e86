package io.redkit.cli.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.redkit.core.Bytes;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.Sink;
import io.redkit.formats.OutputFormat;
import io.redkit.formats.SinkOptions;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The output of {@code redkit tail}: commands written by this class, so that they can be flushed
 * (and a checkpoint written) exactly when the source is idle; the keys of a snapshot handed to the
 * format's own sink, closed (hence flushed) when the snapshot ends.
 *
 * <pre>
 * text   1732550000.123456 [0 @1234] "SET" "k" "v"      (MONITOR-like; @ the replication offset)
 * jsonl  {"db":0,"command":["SET","k","v"],"offset":1234}
 * resp   *3\r\n$3\r\nSET\r\n... with SELECT whenever the db changes
 * </pre>
 */
public final class TailSink implements Sink {
    /** The formats of {@code tail}. */
    public enum Format {
        /** MONITOR-like lines. */
        TEXT,
        /** One JSON object per key or command. */
        JSONL,
        /** Redis commands, loadable with {@code redis-cli --pipe}. */
        RESP
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] CRLF = {'\r', '\n'};
    /** Output held between flushes; more is written through (a big snapshot, a burst). */
    static final int BUFFER_BYTES = 8 << 20;

    /** Owned by this sink; the caller's stream below it is flushed but never closed. */
    private final OutputStream out;
    private final Format format;
    private JsonGenerator json;
    private Sink snapshot;
    private int respDb = -1;
    private long commands;
    private long keys;

    /** A sink writing {@code format} to {@code out} (buffered here). */
    public TailSink(OutputStream out, Format format) {
        // standard output stays open. The buffer is large so that between two checkpoints (100 ms)
        // nothing reaches the output unasked: what a crash leaves written matches the checkpoint
        this.out = new java.io.BufferedOutputStream(nonClosing(out), BUFFER_BYTES);
        this.format = format;
    }

    /** Commands written so far. */
    public long commands() {
        return commands;
    }

    /** Snapshot keys seen so far. */
    public long keys() {
        return keys;
    }

    /** True while a snapshot's keys are being written (its output cannot be flushed before its end). */
    public boolean inSnapshot() {
        return snapshot != null;
    }

    @Override
    public void accept(Event e) throws IOException {
        switch (e.kind()) {
            case COMMAND -> {
                endSnapshot();
                writeCommand((Command) e);
            }
            case BEGIN -> {
                if (((io.redkit.core.event.Begin) e).sourceKind() == io.redkit.core.event.SourceKind.RDB
                        && format != Format.TEXT) {
                    // a new snapshot (after a lost one, possibly cut inside a key) gets a fresh sink
                    endSnapshot();
                    OutputStream shielded = nonClosing(out);
                    snapshot = format == Format.RESP ? OutputFormat.RESP.create(shielded, SinkOptions.defaults())
                            : OutputFormat.JSONL.create(shielded, SinkOptions.defaults());
                    snapshot.accept(e);
                }
            }
            case END -> endSnapshot();
            case KEY_START -> {
                keys++;
                if (format == Format.TEXT) {
                    KeyStart k = (KeyStart) e;
                    StringBuilder sb = new StringBuilder();
                    appendNow(sb);
                    sb.append(" [").append(k.header().db()).append(" snapshot] ")
                            .append(k.header().type().name().toLowerCase(java.util.Locale.ROOT)).append(' ');
                    quote(sb, k.header().key());
                    sb.append('\n');
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                } else if (snapshot != null) {
                    snapshot.accept(e);
                }
            }
            default -> {
                if (snapshot != null) {
                    snapshot.accept(e);
                }
            }
        }
    }

    /** Ends the current snapshot's output, if any, which flushes it. */
    public void endSnapshot() throws IOException {
        Sink s = snapshot;
        if (s != null) {
            snapshot = null;
            s.close();
            // the RESP sink's SELECT state is gone: select again before the next command
            respDb = -1;
        }
    }

    /** Pushes everything written so far to the underlying stream (not the snapshot in progress). */
    public void flush() throws IOException {
        if (json != null) {
            json.flush();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        endSnapshot();
        flush();
        if (json != null) {
            json.close();
        }
        out.flush();
    }

    private void writeCommand(Command c) throws IOException {
        commands++;
        switch (format) {
            case TEXT -> {
                StringBuilder sb = new StringBuilder(64);
                appendNow(sb);
                sb.append(" [").append(c.db()).append(" @").append(c.offset()).append(']');
                for (byte[] a : c.argv()) {
                    sb.append(' ');
                    quote(sb, a);
                }
                sb.append('\n');
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            case JSONL -> {
                if (json == null) {
                    json = JSON.createGenerator(out);
                    json.setRootValueSeparator(null);
                }
                json.writeStartObject();
                json.writeNumberField("db", c.db());
                json.writeFieldName("command");
                json.writeStartArray();
                for (byte[] a : c.argv()) {
                    if (Bytes.isUtf8(a, 0, a.length)) {
                        json.writeUTF8String(a, 0, a.length);
                    } else {
                        json.writeStartObject();
                        json.writeFieldName("b64");
                        json.writeBinary(a);
                        json.writeEndObject();
                    }
                }
                json.writeEndArray();
                json.writeNumberField("offset", c.offset());
                json.writeEndObject();
                json.writeRaw('\n');
            }
            case RESP -> {
                if (c.db() != respDb) {
                    byte[] db = Integer.toString(c.db()).getBytes(StandardCharsets.US_ASCII);
                    out.write("*2\r\n$6\r\nSELECT\r\n$".getBytes(StandardCharsets.US_ASCII));
                    out.write(Integer.toString(db.length).getBytes(StandardCharsets.US_ASCII));
                    out.write(CRLF);
                    out.write(db);
                    out.write(CRLF);
                    respDb = c.db();
                }
                out.write('*');
                out.write(Integer.toString(c.argv().size()).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                for (byte[] a : c.argv()) {
                    out.write('$');
                    out.write(Integer.toString(a.length).getBytes(StandardCharsets.US_ASCII));
                    out.write(CRLF);
                    out.write(a);
                    out.write(CRLF);
                }
            }
            default -> throw new IllegalStateException("format " + format);
        }
    }

    /** Appends the time like MONITOR does: unix seconds and six digits of microseconds. */
    private static void appendNow(StringBuilder sb) {
        java.time.Instant t = java.time.Instant.now();
        sb.append(t.getEpochSecond()).append('.');
        int us = t.getNano() / 1000;
        for (int d = 100_000; d > 1 && us < d; d /= 10) {
            sb.append('0');
        }
        sb.append(us);
    }

    /** {@code out} for a sink that closes its stream when done: closing only flushes. */
    private static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** Quotes like Redis's MONITOR (sdscatrepr): printable ASCII as is, escapes for the rest. */
    static void quote(StringBuilder sb, byte[] b) {
        sb.append('"');
        for (byte x : b) {
            int c = x & 0xFF;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case 8 -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        sb.append('"');
    }
}
