package io.redkit.formats.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.redkit.core.Bytes;
import io.redkit.core.event.Aux;
import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleAux;
import io.redkit.core.sink.Sink;
import io.redkit.formats.SinkOptions;
import io.redkit.formats.memory.MemoryEstimator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Gathers the {@code redkit inspect} report while events stream, in memory bounded by the options
 * (never by the input): header and AUX fields; keys per db, type and encoding; TTLs and a TTL
 * histogram; the top N keys by estimated memory and the top N collections by element count (heaps
 * of N); estimated memory per key prefix (the key up to the first delimiter byte, keys without one under
 * "(no prefix)"; the first {@code maxPrefixes} prefixes are tracked, later new ones are counted as
 * "(other)"); function libraries, module aux records, commands; the checksum status. Printed at
 * close as aligned text or JSON ({@link SinkOptions#jsonReport()}), or by a {@link Renderer} given to the
 * constructor, which reads the gathered figures through the accessors. Flushes but does not close the stream.
 */
public final class InspectSink implements Sink {
    /** TTL histogram bucket names, in order. */
    public static final List<String> TTL_BUCKETS = List.of("expired", "<1m", "<1h", "<1d", "<7d", "<30d", ">=30d", "none");
    private static final long[] TTL_LIMITS = {60_000L, 3_600_000L, 86_400_000L, 7 * 86_400_000L, 30 * 86_400_000L};
    private static final int MAX_AUX = 64;
    private static final int MAX_AUX_VALUE = 256;
    private static final int MAX_FUNCTION_NAMES = 1000;
    private static final String OTHER = "(other)";
    private static final String NO_PREFIX = "(no prefix)";

    /**
     * One key of a top-N table.
     *
     * @param value estimated bytes or element count, depending on the table
     */
    public record TopKey(int db, byte[] key, DataType type, long value) {
    }

    /** One database's line: keys, keys with a TTL, estimated bytes. */
    public record DbStats(int db, long keys, long keysWithTtl, long estimatedBytes) {
    }

    /** One line of the per-prefix table; {@code prefix} is display text (escaped when not UTF-8). */
    public record PrefixStats(String prefix, long keys, long estimatedBytes) {
    }

    /** Writes the report at close, instead of the text or JSON forms. */
    @FunctionalInterface
    public interface Renderer {
        /** Writes the report of {@code report}, whose events are all in, to {@code out}. */
        void render(InspectSink report, OutputStream out) throws IOException;
    }

    /** Sees each key once it is complete, with the figures the report counted for it. */
    @FunctionalInterface
    public interface KeyObserver {
        /** Called at the key's end; {@code header} and its key bytes are only valid during the call. */
        void key(KeyHeader header, long estimatedBytes, long elements);
    }

    /** A prefix as a map key: equality of the bytes. */
    private record Prefix(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && Arrays.equals(bytes, p.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final OutputStream out;
    private final boolean json;
    private final int topN;
    private final int maxPrefixes;
    private final byte[] delimiters;
    private final long nowMs;
    private final MemoryEstimator est = new MemoryEstimator();

    private String source;
    private String sourceKind;
    private String dialect;
    private int rdbVersion = -1;
    private final Map<String, String> aux = new LinkedHashMap<>();
    private long auxDropped;
    private final Map<Integer, long[]> perDb = new TreeMap<>();
    private final Map<String, long[]> perTypeEncoding = new TreeMap<>();
    private final long[] perTypeKeys = new long[DataType.values().length];
    private final long[] perTypeBytes = new long[DataType.values().length];
    private long keys;
    private long bytes;
    private long withTtl;
    private final long[] ttlHist = new long[TTL_BUCKETS.size()];
    private final PriorityQueue<TopKey> topMem = new PriorityQueue<>(Comparator.comparingLong(TopKey::value));
    private final PriorityQueue<TopKey> topLen = new PriorityQueue<>(Comparator.comparingLong(TopKey::value));
    private final Map<Prefix, long[]> prefixes = new HashMap<>();
    private final long[] otherPrefix = new long[2];
    private long functions;
    private final List<String> functionNames = new ArrayList<>();
    private final Map<String, long[]> moduleAux = new TreeMap<>();
    private long commands;
    private String checksum = "not reached (input incomplete)";
    private KeyHeader header;
    private boolean closed;
    private final Renderer renderer;
    private final KeyObserver observer;

    /** An inspect sink with the given options ({@code jsonReport}, {@code topN}, {@code maxPrefixes}, ...). */
    public InspectSink(OutputStream out, SinkOptions options) {
        this(out, options, null, null);
    }

    /**
     * An inspect sink whose report is written by {@code renderer} (null: text or JSON by the options),
     * telling {@code observer} (may be null) about each key.
     */
    public InspectSink(OutputStream out, SinkOptions options, Renderer renderer, KeyObserver observer) {
        this.out = out;
        this.renderer = renderer;
        this.observer = observer;
        this.json = options.jsonReport();
        this.topN = options.topN();
        this.maxPrefixes = options.maxPrefixes();
        this.delimiters = options.prefixDelimiters().getBytes(StandardCharsets.UTF_8);
        this.nowMs = options.nowMs() >= 0 ? options.nowMs() : System.currentTimeMillis();
    }

    @Override
    public void accept(Event e) throws IOException {
        switch (e.kind()) {
            case BEGIN -> {
                Begin b = (Begin) e;
                source = b.source();
                sourceKind = b.sourceKind() == null ? null : b.sourceKind().name().toLowerCase();
                dialect = b.dialect() == null ? null : b.dialect().name().toLowerCase();
                rdbVersion = b.rdbVersion();
            }
            case AUX -> {
                Aux a = (Aux) e;
                String name = new String(a.name(), StandardCharsets.UTF_8);
                if (aux.size() < MAX_AUX || aux.containsKey(name)) {
                    aux.put(name, text(a.value()));
                } else {
                    auxDropped++;
                }
            }
            case KEY_START -> {
                header = ((KeyStart) e).header();
                est.begin(header);
            }
            case KEY_END -> {
                est.end();
                key(header);
                header = null;
            }
            case FUNCTION_LIBRARY -> {
                functions++;
                if (functionNames.size() < MAX_FUNCTION_NAMES) {
                    functionNames.add(libraryName(((FunctionLibrary) e).code()));
                }
            }
            case MODULE_AUX -> {
                ModuleAux m = (ModuleAux) e;
                moduleAux.computeIfAbsent(m.moduleName() + " (when " + m.when() + ")", k -> new long[1])[0]++;
            }
            case COMMAND -> commands++;
            case END -> {
                End end = (End) e;
                if (end.checksumVerified()) {
                    checksum = "verified";
                } else if (end.checksum() == 0) {
                    checksum = "absent (zero)";
                } else {
                    checksum = "present, not verified";
                }
            }
            default -> {
                if (header != null) {
                    est.accept(e);
                }
            }
        }
    }

    private void key(KeyHeader h) {
        long size = est.sizeInBytes();
        keys++;
        bytes += size;
        int t = h.type().ordinal();
        perTypeKeys[t]++;
        perTypeBytes[t] += size;
        long[] db = perDb.computeIfAbsent(h.db(), k -> new long[3]);
        db[0]++;
        db[1] += size;
        String enc = h.encoding() == null ? "-" : h.encoding();
        perTypeEncoding.computeIfAbsent(h.type().id() + "/" + enc, k -> new long[1])[0]++;
        if (h.expireAtMs() >= 0) {
            withTtl++;
            db[2]++;
            long left = h.expireAtMs() - nowMs;
            int b = 0;
            if (left > 0) {
                b = 1;
                while (b - 1 < TTL_LIMITS.length && left >= TTL_LIMITS[b - 1]) {
                    b++;
                }
            }
            ttlHist[b]++;
        } else {
            ttlHist[ttlHist.length - 1]++;
        }
        offer(topMem, h, size);
        if (h.type() != DataType.STRING) {
            // a string's "elements" are its bytes: the memory table already ranks those
            offer(topLen, h, est.numElements());
        }
        prefix(h.key(), size);
        if (observer != null) {
            observer.key(h, size, est.numElements());
        }
    }

    private void offer(PriorityQueue<TopKey> heap, KeyHeader h, long v) {
        if (heap.size() < topN) {
            heap.add(new TopKey(h.db(), h.key(), h.type(), v));
        } else if (heap.peek().value() < v) {
            heap.poll();
            heap.add(new TopKey(h.db(), h.key(), h.type(), v));
        }
    }

    private void prefix(byte[] key, long size) {
        int end = -1;
        for (int i = 0; i < key.length && end < 0; i++) {
            for (byte d : delimiters) {
                if (key[i] == d) {
                    end = i;
                    break;
                }
            }
        }
        Prefix p = new Prefix(end < 0 ? NO_PREFIX_BYTES : Arrays.copyOf(key, end));
        long[] c = prefixes.get(p);
        if (c == null) {
            if (prefixes.size() >= maxPrefixes) {
                c = otherPrefix;
            } else {
                c = new long[2];
                prefixes.put(p, c);
            }
        }
        c[0]++;
        c[1] += size;
    }

    private static final byte[] NO_PREFIX_BYTES = NO_PREFIX.getBytes(StandardCharsets.UTF_8);

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (renderer != null) {
            renderer.render(this, out);
        } else if (json) {
            writeJson();
        } else {
            writeText();
        }
        out.flush();
    }

    /** The source's display name, or null before its Begin event. */
    public String source() {
        return source;
    }

    /** The source kind in lower case ({@code rdb}, {@code aof}, ...), or null. */
    public String sourceKind() {
        return sourceKind;
    }

    /** The RDB dialect in lower case ({@code redis}, {@code valkey}), or null. */
    public String dialect() {
        return dialect;
    }

    /** The RDB version, or -1 when the source has none. */
    public int rdbVersion() {
        return rdbVersion;
    }

    /** The AUX fields in file order (values as display text, bounded in number and length). */
    public Map<String, String> aux() {
        return java.util.Collections.unmodifiableMap(aux);
    }

    /** The checksum status as a phrase ("verified", "absent (zero)", ...). */
    public String checksum() {
        return checksum;
    }

    /** Keys seen. */
    public long keys() {
        return keys;
    }

    /** Keys with a TTL. */
    public long keysWithTtl() {
        return withTtl;
    }

    /** Estimated memory of all keys, in bytes. */
    public long estimatedBytes() {
        return bytes;
    }

    /** Keys of type {@code t}. */
    public long typeKeys(DataType t) {
        return perTypeKeys[t.ordinal()];
    }

    /** Estimated bytes of the keys of type {@code t}. */
    public long typeBytes(DataType t) {
        return perTypeBytes[t.ordinal()];
    }

    /** Keys per {@code type/encoding}, sorted by that name. */
    public Map<String, Long> encodings() {
        Map<String, Long> m = new LinkedHashMap<>();
        perTypeEncoding.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }

    /** Keys per TTL bucket, in the order of {@link #TTL_BUCKETS}. */
    public long[] ttlHistogram() {
        return ttlHist.clone();
    }

    /** The databases in order. */
    public List<DbStats> dbs() {
        List<DbStats> l = new ArrayList<>();
        perDb.forEach((db, v) -> l.add(new DbStats(db, v[0], v[2], v[1])));
        return l;
    }

    /** The biggest keys by estimated memory, biggest first. */
    public List<TopKey> topByMemory() {
        return sortedDesc(topMem);
    }

    /** The collections with the most elements, most first. */
    public List<TopKey> topByElements() {
        return sortedDesc(topLen);
    }

    /** Memory per first-level prefix, biggest first, {@code (other)} last. */
    public List<PrefixStats> prefixes() {
        List<PrefixStats> l = new ArrayList<>();
        for (Map.Entry<String, long[]> en : prefixTable()) {
            l.add(new PrefixStats(en.getKey(), en.getValue()[0], en.getValue()[1]));
        }
        return l;
    }

    /** Function libraries seen. */
    public long functionLibraries() {
        return functions;
    }

    /** Commands seen (AOF sources). */
    public long commands() {
        return commands;
    }

    private static List<TopKey> sortedDesc(PriorityQueue<TopKey> heap) {
        List<TopKey> l = new ArrayList<>(heap);
        l.sort((a, b) -> {
            int c = Long.compare(b.value(), a.value());
            if (c != 0) {
                return c;
            }
            c = Integer.compare(a.db(), b.db());
            return c != 0 ? c : Bytes.compare(a.key(), b.key());
        });
        return l;
    }

    private List<Map.Entry<String, long[]>> prefixTable() {
        List<Map.Entry<String, long[]>> l = new ArrayList<>();
        for (Map.Entry<Prefix, long[]> en : prefixes.entrySet()) {
            l.add(Map.entry(text(en.getKey().bytes()), en.getValue()));
        }
        l.sort((a, b) -> {
            int c = Long.compare(b.getValue()[1], a.getValue()[1]);
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        if (otherPrefix[0] > 0) {
            l.add(Map.entry(OTHER, otherPrefix));
        }
        return l;
    }

    private void writeText() {
        PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        pw.println("== source");
        row(pw, "source", source);
        row(pw, "kind", sourceKind);
        row(pw, "dialect", dialect);
        row(pw, "rdb version", rdbVersion >= 0 ? Integer.toString(rdbVersion) : null);
        row(pw, "checksum", checksum);
        if (!aux.isEmpty()) {
            pw.println();
            pw.println("== aux fields");
            for (Map.Entry<String, String> en : aux.entrySet()) {
                row(pw, en.getKey(), en.getKey().equals("ctime") ? withTime(en.getValue()) : en.getValue());
            }
            if (auxDropped > 0) {
                row(pw, "(more)", auxDropped + " not shown");
            }
        }
        pw.println();
        pw.println("== keys");
        row(pw, "keys", Long.toString(keys));
        row(pw, "with ttl", Long.toString(withTtl));
        row(pw, "est. memory", human(bytes) + " (" + bytes + " bytes)");
        pw.println();
        pw.printf("%-6s %12s %12s %16s%n", "db", "keys", "with ttl", "est. bytes");
        for (Map.Entry<Integer, long[]> en : perDb.entrySet()) {
            long[] v = en.getValue();
            pw.printf("%-6d %12d %12d %16d%n", en.getKey(), v[0], v[2], v[1]);
        }
        pw.println();
        pw.printf("%-8s %12s %16s%n", "type", "keys", "est. bytes");
        for (DataType t : DataType.values()) {
            if (perTypeKeys[t.ordinal()] > 0) {
                pw.printf("%-8s %12d %16d%n", t.id(), perTypeKeys[t.ordinal()], perTypeBytes[t.ordinal()]);
            }
        }
        pw.println();
        int w = 20;
        for (String k : perTypeEncoding.keySet()) {
            w = Math.max(w, k.length());
        }
        pw.printf("%-" + w + "s %12s%n", "type/encoding", "keys");
        for (Map.Entry<String, long[]> en : perTypeEncoding.entrySet()) {
            pw.printf("%-" + w + "s %12d%n", en.getKey(), en.getValue()[0]);
        }
        pw.println();
        pw.println("== ttl histogram");
        for (int i = 0; i < ttlHist.length; i++) {
            pw.printf("%-8s %12d%n", TTL_BUCKETS.get(i), ttlHist[i]);
        }
        topText(pw, "top keys by estimated memory (bytes)", topMem);
        topText(pw, "top keys by element count", topLen);
        pw.println();
        pw.println("== memory by key prefix");
        pw.printf("%-40s %12s %16s%n", "prefix", "keys", "est. bytes");
        for (Map.Entry<String, long[]> en : prefixTable()) {
            pw.printf("%-40s %12d %16d%n", en.getKey(), en.getValue()[0], en.getValue()[1]);
        }
        pw.println();
        pw.println("== other");
        row(pw, "function libraries", functions + (functionNames.isEmpty() ? "" : " " + functionNames));
        StringBuilder ma = new StringBuilder();
        for (Map.Entry<String, long[]> en : moduleAux.entrySet()) {
            ma.append(ma.length() == 0 ? "" : ", ").append(en.getKey()).append(": ").append(en.getValue()[0]);
        }
        row(pw, "module aux", ma.length() == 0 ? "0" : ma.toString());
        row(pw, "commands", Long.toString(commands));
        pw.flush();
    }

    private static void topText(PrintWriter pw, String title, PriorityQueue<TopKey> heap) {
        pw.println();
        pw.println("== " + title);
        for (TopKey t : sortedDesc(heap)) {
            pw.printf("%16d  db%-3d %-7s %s%n", t.value(), t.db(), t.type().id(), Bytes.preview(t.key()));
        }
    }

    private static void row(PrintWriter pw, String name, String value) {
        pw.printf("%-22s %s%n", name, value == null ? "-" : value);
    }

    private void writeJson() throws IOException {
        JsonGenerator g = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build()
                .createGenerator(out);
        g.writeStartObject();
        g.writeStringField("source", source);
        g.writeStringField("kind", sourceKind);
        g.writeStringField("dialect", dialect);
        if (rdbVersion >= 0) {
            g.writeNumberField("rdb_version", rdbVersion);
        } else {
            g.writeNullField("rdb_version");
        }
        g.writeStringField("checksum", checksum);
        g.writeObjectFieldStart("aux");
        for (Map.Entry<String, String> en : aux.entrySet()) {
            g.writeStringField(en.getKey(), en.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("keys", keys);
        g.writeNumberField("keys_with_ttl", withTtl);
        g.writeNumberField("estimated_bytes", bytes);
        g.writeArrayFieldStart("dbs");
        for (Map.Entry<Integer, long[]> en : perDb.entrySet()) {
            g.writeStartObject();
            g.writeNumberField("db", en.getKey());
            g.writeNumberField("keys", en.getValue()[0]);
            g.writeNumberField("keys_with_ttl", en.getValue()[2]);
            g.writeNumberField("estimated_bytes", en.getValue()[1]);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("types");
        for (DataType t : DataType.values()) {
            if (perTypeKeys[t.ordinal()] > 0) {
                g.writeObjectFieldStart(t.id());
                g.writeNumberField("keys", perTypeKeys[t.ordinal()]);
                g.writeNumberField("estimated_bytes", perTypeBytes[t.ordinal()]);
                g.writeEndObject();
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("encodings");
        for (Map.Entry<String, long[]> en : perTypeEncoding.entrySet()) {
            g.writeNumberField(en.getKey(), en.getValue()[0]);
        }
        g.writeEndObject();
        g.writeObjectFieldStart("ttl_histogram");
        for (int i = 0; i < ttlHist.length; i++) {
            g.writeNumberField(TTL_BUCKETS.get(i), ttlHist[i]);
        }
        g.writeEndObject();
        topJson(g, "top_by_memory", topMem);
        topJson(g, "top_by_elements", topLen);
        g.writeArrayFieldStart("prefixes");
        for (Map.Entry<String, long[]> en : prefixTable()) {
            g.writeStartObject();
            g.writeStringField("prefix", en.getKey());
            g.writeNumberField("keys", en.getValue()[0]);
            g.writeNumberField("estimated_bytes", en.getValue()[1]);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("function_libraries", functions);
        g.writeArrayFieldStart("function_library_names");
        for (String n : functionNames) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("module_aux");
        for (Map.Entry<String, long[]> en : moduleAux.entrySet()) {
            g.writeNumberField(en.getKey(), en.getValue()[0]);
        }
        g.writeEndObject();
        g.writeNumberField("commands", commands);
        g.writeEndObject();
        g.writeRaw('\n');
        g.close();
    }

    private static void topJson(JsonGenerator g, String name, PriorityQueue<TopKey> heap) throws IOException {
        g.writeArrayFieldStart(name);
        for (TopKey t : sortedDesc(heap)) {
            g.writeStartObject();
            g.writeNumberField("db", t.db());
            g.writeStringField("key", text(t.key()));
            g.writeStringField("type", t.type().id());
            g.writeNumberField("value", t.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Text for display: the bytes as UTF-8 when valid (cut to a bound), else a hex-escaped preview. */
    private static String text(byte[] b) {
        if (Bytes.isUtf8(b)) {
            String s = new String(b, StandardCharsets.UTF_8);
            return s.length() > MAX_AUX_VALUE ? s.substring(0, MAX_AUX_VALUE) + "..." : s;
        }
        return Bytes.preview(b);
    }

    /** The {@code name=} of a library's shebang line, or "?". */
    private static String libraryName(byte[] code) {
        String head = new String(code, 0, Math.min(code.length, 256), StandardCharsets.UTF_8);
        int nl = head.indexOf('\n');
        if (nl >= 0) {
            head = head.substring(0, nl);
        }
        int i = head.indexOf("name=");
        if (i < 0) {
            return "?";
        }
        int j = i + 5;
        while (j < head.length() && !Character.isWhitespace(head.charAt(j))) {
            j++;
        }
        return head.substring(i + 5, j);
    }

    /** A unix-seconds value followed by its UTC time, as AUX {@code ctime} is easier to read that way. */
    private static String withTime(String seconds) {
        try {
            return seconds + " (" + java.time.Instant.ofEpochSecond(Long.parseLong(seconds.trim())) + ")";
        } catch (NumberFormatException | java.time.DateTimeException notSeconds) {
            return seconds;
        }
    }

    private static String human(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
