package io.redkit.formats.memory;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.Sink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code memory} format: a CSV header, then one row per key with redis-rdb-tools' memory-report
 * columns {@code database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry}.
 * Type names are rdb-tools' ({@code sortedset} for zsets), size and encoding come from
 * {@link MemoryEstimator}, the expiry is an ISO-8601 UTC time like Python's {@code isoformat()}
 * (empty without TTL). Keys are written as their raw bytes, quoted RFC 4180 style when they hold a
 * comma, quote, CR, LF or surrounding spaces. Flushes but does not close the stream.
 */
public final class MemorySink implements Sink {
    /** The header row. */
    public static final String HEADER = "database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry";

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final BufferedOutputStream out;
    private final MemoryEstimator est = new MemoryEstimator();
    private KeyHeader header;
    private final StringBuilder sb = new StringBuilder(64);

    /** A memory-report sink writing CSV to {@code out}. */
    public MemorySink(OutputStream out) throws IOException {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.out.write((HEADER + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void accept(Event e) throws IOException {
        switch (e.kind()) {
            case KEY_START -> {
                header = ((KeyStart) e).header();
                est.begin(header);
            }
            case KEY_END -> {
                est.end();
                row();
                header = null;
            }
            default -> {
                if (header != null) {
                    est.accept(e);
                }
            }
        }
    }

    private void row() throws IOException {
        sb.setLength(0);
        sb.append(header.db()).append(',').append(typeName(header.type())).append(',');
        ascii(sb);
        writeCsvField(header.key());
        sb.append(',').append(est.sizeInBytes()).append(',').append(est.encoding()).append(',')
                .append(est.numElements()).append(',').append(est.largestElementLength()).append(',');
        if (header.expireAtMs() >= 0) {
            sb.append(isoTime(header.expireAtMs()));
        }
        sb.append('\n');
        ascii(sb);
    }

    /** rdb-tools' type names. */
    static String typeName(DataType t) {
        return t == DataType.ZSET ? "sortedset" : t.id();
    }

    /** Python's {@code datetime.isoformat()} of a UTC instant: microseconds only when non-zero. */
    static String isoTime(long ms) {
        Instant i = Instant.ofEpochMilli(ms);
        String s = SECONDS.format(i);
        long frac = Math.floorMod(ms, 1000L);
        return frac == 0 ? s : s + String.format(".%03d000", frac);
    }

    private void writeCsvField(byte[] k) throws IOException {
        boolean quote = k.length > 0 && (k[0] == ' ' || k[k.length - 1] == ' ');
        for (byte b : k) {
            if (b == ',' || b == '"' || b == '\n' || b == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            out.write(k);
            return;
        }
        out.write('"');
        int start = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == '"') {
                out.write(k, start, i + 1 - start);
                out.write('"');
                start = i + 1;
            }
        }
        out.write(k, start, k.length - start);
        out.write('"');
    }

    private void ascii(StringBuilder s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
        s.setLength(0);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
