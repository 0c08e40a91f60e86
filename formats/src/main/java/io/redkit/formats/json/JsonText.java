package io.redkit.formats.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.redkit.core.Bytes;
import io.redkit.core.event.DataType;
import io.redkit.formats.Scores;

import java.io.IOException;
import java.io.OutputStream;

/** Pre-encoded names and the byte-string and score conventions of the jsonl contract. */
final class JsonText {
    static final SerializedString DB = new SerializedString("db");
    static final SerializedString KEY = new SerializedString("key");
    static final SerializedString TYPE = new SerializedString("type");
    static final SerializedString EXPIRE_MS = new SerializedString("expire_ms");
    static final SerializedString VALUE = new SerializedString("value");
    static final SerializedString ENCODING = new SerializedString("encoding");
    static final SerializedString FIELD_EXPIRE_MS = new SerializedString("field_expire_ms");
    static final SerializedString MODULE_TYPE = new SerializedString("module_type");
    static final SerializedString INSERT_IDX = new SerializedString("insert_idx");
    static final SerializedString ENTRIES = new SerializedString("entries");
    static final SerializedString LAST_ID = new SerializedString("last_id");
    static final SerializedString GROUPS = new SerializedString("groups");
    static final SerializedString NAME = new SerializedString("name");
    static final SerializedString PENDING = new SerializedString("pending");
    static final SerializedString CONSUMERS = new SerializedString("consumers");
    static final SerializedString B64 = new SerializedString("b64");
    static final SerializedString FUNCTION = new SerializedString("function");
    static final SerializedString MODULE_AUX = new SerializedString("module_aux");
    static final SerializedString WHEN = new SerializedString("when");
    static final SerializedString COMMAND = new SerializedString("command");
    static final SerializedString TS = new SerializedString("ts");
    static final SerializedString INF = new SerializedString("inf");
    static final SerializedString NEG_INF = new SerializedString("-inf");

    private static final SerializedString[] TYPE_NAMES;

    static {
        DataType[] types = DataType.values();
        TYPE_NAMES = new SerializedString[types.length];
        for (DataType t : types) {
            TYPE_NAMES[t.ordinal()] = new SerializedString(t.id());
        }
    }

    /**
     * Shared factory: shortest double text; flushing and closing the target are the sink's call;
     * an unfinished object is left unfinished at close (a cut line shows the input failed mid-key).
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .build();

    private JsonText() {
    }

    /** A generator without root-value separators: the sinks place newlines and commas themselves. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.setRootValueSeparator(null);
        return g;
    }

    static SerializedString typeName(DataType t) {
        return TYPE_NAMES[t.ordinal()];
    }

    /** Writes S: a JSON string for valid UTF-8, else {@code {"b64": ...}}. */
    static void writeS(JsonGenerator g, byte[] b) throws IOException {
        if (Bytes.isUtf8(b, 0, b.length)) {
            g.writeUTF8String(b, 0, b.length);
        } else {
            g.writeStartObject();
            g.writeFieldName(B64);
            g.writeBinary(b);
            g.writeEndObject();
        }
    }

    /** Writes a score: an integer when integral below 2^53, else the shortest round-trip number, or "inf"/"-inf". */
    static void writeScore(JsonGenerator g, double d) throws IOException {
        if (d == Double.POSITIVE_INFINITY) {
            g.writeString(INF);
        } else if (d == Double.NEGATIVE_INFINITY) {
            g.writeString(NEG_INF);
        } else if (Double.isNaN(d)) {
            // Redis never stores NaN scores; keep the output parseable if a source hands one over
            g.writeString("nan");
        } else if (Scores.isSmallIntegral(d)) {
            g.writeNumber((long) d);
        } else {
            g.writeNumber(d);
        }
    }

    /**
     * Appends the JSON-escaped form of valid UTF-8 bytes (without quotes) to {@code out}: quote,
     * backslash and control characters escaped, everything else copied as is.
     */
    static void escapeUtf8(byte[] b, int off, int len, OutputStream out, byte[] scratch) throws IOException {
        escape(b, off, len, out, scratch, false);
    }

    /** Like {@link #escapeUtf8} for bytes that are not UTF-8: each byte from 0x80 becomes the character U+0080..U+00FF. */
    static void escapeLatin1(byte[] b, int off, int len, OutputStream out, byte[] scratch) throws IOException {
        escape(b, off, len, out, scratch, true);
    }

    private static void escape(byte[] b, int off, int len, OutputStream out, byte[] scratch, boolean latin1)
            throws IOException {
        int n = 0;
        int end = off + len;
        int limit = scratch.length - 6;
        for (int i = off; i < end; i++) {
            if (n >= limit) {
                out.write(scratch, 0, n);
                n = 0;
            }
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c != '"' && c != '\\' && (c < 0x80 || !latin1)) {
                scratch[n++] = (byte) c;
                continue;
            }
            scratch[n++] = '\\';
            switch (c) {
                case '"' -> scratch[n++] = '"';
                case '\\' -> scratch[n++] = '\\';
                case '\n' -> scratch[n++] = 'n';
                case '\r' -> scratch[n++] = 'r';
                case '\t' -> scratch[n++] = 't';
                case '\b' -> scratch[n++] = 'b';
                case '\f' -> scratch[n++] = 'f';
                default -> {
                    scratch[n++] = 'u';
                    scratch[n++] = '0';
                    scratch[n++] = '0';
                    scratch[n++] = (byte) HEX[c >> 4];
                    scratch[n++] = (byte) HEX[c & 0xF];
                }
            }
        }
        out.write(scratch, 0, n);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
