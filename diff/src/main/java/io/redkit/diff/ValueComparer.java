package io.redkit.diff;

import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.HashField;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamMeta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Explains how two values of the same type differ, element by element, listing at most a given number. */
final class ValueComparer {
    /** Bytes shown around a string difference. */
    static final int STRING_WINDOW = 32;

    private final Difference out;
    private final int max;

    private ValueComparer(Difference out, int max) {
        this.out = out;
        this.max = max;
    }

    /** Adds to {@code out} the element differences between {@code a} and {@code b} (same type). */
    static void explain(KeyValue a, KeyValue b, Difference out, int max) {
        ValueComparer c = new ValueComparer(out, max);
        if (a.truncated() || b.truncated()) {
            out.note("value too large to compare element by element (" + a.size() + " vs " + b.size()
                    + " elements or bytes)");
            if (a.size() != b.size()) {
                c.add("length", null, text(a.size()), text(b.size()));
            }
            return;
        }
        switch (a.header().type()) {
            case STRING -> c.string(a, b);
            case LIST -> c.list(a, b);
            case SET -> c.sorted(a.set, b.set, "member", v -> text("present"));
            case HASH -> c.hash(a.hash, b.hash);
            case ZSET -> c.sorted(a.zset, b.zset, "member", ValueComparer::score);
            case STREAM -> c.stream(a, b);
            case ARRAY -> c.array(a, b);
            case MODULE -> c.module(a, b);
            default -> out.note("no element comparison for this type");
        }
        if (out.details().isEmpty() && out.moreDetails() == 0) {
            // the digests differ but nothing visible does (e.g. -0 against 0 in a chunk boundary case)
            out.note("values differ in their digests only");
        }
    }

    private void add(String what, byte[] item, byte[] a, byte[] b) {
        if (out.details().size() < max) {
            out.addDetail(new ElementDiff(what, item, a, b));
        } else {
            out.addMore(1);
        }
    }

    private void string(KeyValue a, KeyValue b) {
        if (a.stringLength != b.stringLength) {
            add("length", null, text(a.stringLength), text(b.stringLength));
        }
        // the ranges gathered are the same on both sides: the first one that differs has the first difference
        TreeMap<Long, Boolean> starts = new TreeMap<>();
        a.ranges.keySet().forEach(k -> starts.put(k, Boolean.TRUE));
        b.ranges.keySet().forEach(k -> starts.put(k, Boolean.TRUE));
        for (long start : starts.keySet()) {
            byte[] x = bytesOf(a.ranges.get(start));
            byte[] y = bytesOf(b.ranges.get(start));
            int i = Arrays.mismatch(x, y);
            if (i >= 0) {
                add("offset", text(start + i), window(x, i), window(y, i));
                return;
            }
        }
    }

    private static byte[] bytesOf(java.io.ByteArrayOutputStream s) {
        return s == null ? new byte[0] : s.toByteArray();
    }

    private static byte[] window(byte[] v, int at) {
        return at >= v.length ? null : Arrays.copyOfRange(v, at, Math.min(v.length, at + STRING_WINDOW));
    }

    private void list(KeyValue a, KeyValue b) {
        if (a.size() != b.size()) {
            add("length", null, text(a.size()), text(b.size()));
        }
        TreeMap<Long, Boolean> indexes = new TreeMap<>();
        a.list.keySet().forEach(k -> indexes.put(k, Boolean.TRUE));
        b.list.keySet().forEach(k -> indexes.put(k, Boolean.TRUE));
        for (long i : indexes.keySet()) {
            byte[] p = a.list.get(i);
            byte[] q = b.list.get(i);
            if (p == null || q == null || !Arrays.equals(p, q)) {
                add("index", text(i), p, q);
            }
        }
    }

    private <V> void sorted(TreeMap<byte[], V> x, TreeMap<byte[], V> y, String what, Function<V, byte[]> show) {
        sorted(x, y, what, show, k -> k);
    }

    /** A merge of two sorted maps: entries on one side only, and entries whose shown values differ. */
    private <V> void sorted(TreeMap<byte[], V> x, TreeMap<byte[], V> y, String what, Function<V, byte[]> show,
                            UnaryOperator<byte[]> item) {
        Iterator<Map.Entry<byte[], V>> i = x.entrySet().iterator();
        Iterator<Map.Entry<byte[], V>> j = y.entrySet().iterator();
        Map.Entry<byte[], V> p = i.hasNext() ? i.next() : null;
        Map.Entry<byte[], V> q = j.hasNext() ? j.next() : null;
        while (p != null || q != null) {
            int c = p == null ? 1 : q == null ? -1 : Arrays.compareUnsigned(p.getKey(), q.getKey());
            if (c < 0) {
                add(what, item.apply(p.getKey()), show.apply(p.getValue()), null);
                p = i.hasNext() ? i.next() : null;
            } else if (c > 0) {
                add(what, item.apply(q.getKey()), null, show.apply(q.getValue()));
                q = j.hasNext() ? j.next() : null;
            } else {
                byte[] s = show.apply(p.getValue());
                byte[] t = show.apply(q.getValue());
                if (!Arrays.equals(s, t)) {
                    add(what, item.apply(p.getKey()), s, t);
                }
                p = i.hasNext() ? i.next() : null;
                q = j.hasNext() ? j.next() : null;
            }
        }
    }

    private void hash(TreeMap<byte[], HashField> x, TreeMap<byte[], HashField> y) {
        sorted(x, y, "field", HashField::value);
        for (Map.Entry<byte[], HashField> e : x.entrySet()) {
            HashField o = y.get(e.getKey());
            if (o != null && o.expireAtMs() != e.getValue().expireAtMs()) {
                add("field_ttl", e.getKey(), ttl(e.getValue().expireAtMs()), ttl(o.expireAtMs()));
            }
        }
    }

    private void stream(KeyValue a, KeyValue b) {
        TreeMap<StreamId, StreamEntry> x = new TreeMap<>();
        TreeMap<StreamId, StreamEntry> y = new TreeMap<>();
        a.entries.forEach(s -> x.put(s.id(), s));
        b.entries.forEach(s -> y.put(s.id(), s));
        for (StreamEntry s : x.values()) {
            StreamEntry o = y.get(s.id());
            if (o == null || !sameFields(s, o)) {
                add("entry", text(s.id().toString()), fields(s), o == null ? null : fields(o));
            }
        }
        for (StreamEntry o : y.values()) {
            if (!x.containsKey(o.id())) {
                add("entry", text(o.id().toString()), null, fields(o));
            }
        }
        StreamMeta m = a.meta;
        StreamMeta n = b.meta;
        String la = m == null ? null : String.valueOf(m.lastId());
        String lb = n == null ? null : String.valueOf(n.lastId());
        if (la == null ? lb != null : !la.equals(lb)) {
            add("last_id", null, text(la), text(lb));
        }
        TreeMap<byte[], byte[]> ga = groups(m);
        TreeMap<byte[], byte[]> gb = groups(n);
        sorted(ga, gb, "group", v -> v);
    }

    private static boolean sameFields(StreamEntry s, StreamEntry o) {
        List<byte[]> f = s.fieldsAndValues();
        List<byte[]> g = o.fieldsAndValues();
        if (f.size() != g.size()) {
            return false;
        }
        for (int i = 0; i < f.size(); i++) {
            if (!Arrays.equals(f.get(i), g.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] fields(StreamEntry s) {
        StringBuilder sb = new StringBuilder();
        List<byte[]> f = s.fieldsAndValues();
        for (int i = 0; i < f.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(io.redkit.core.Bytes.preview(f.get(i)));
        }
        return text(sb.toString());
    }

    /** Each group as the jsonl contract shows it: last id, pending count, consumers with their pending counts. */
    private static TreeMap<byte[], byte[]> groups(StreamMeta m) {
        TreeMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
        if (m == null) {
            return out;
        }
        for (StreamGroup g : m.groups()) {
            List<StreamConsumer> cs = new ArrayList<>(g.consumers());
            cs.sort((p, q) -> Arrays.compareUnsigned(p.name(), q.name()));
            StringBuilder sb = new StringBuilder();
            sb.append("last_id=").append(g.lastId()).append(" pending=").append(g.pending().size())
                    .append(" consumers=[");
            for (int i = 0; i < cs.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(io.redkit.core.Bytes.preview(cs.get(i).name()))
                        .append(':').append(cs.get(i).pending().size());
            }
            out.put(g.name(), text(sb.append(']').toString()));
        }
        return out;
    }

    private void array(KeyValue a, KeyValue b) {
        TreeMap<byte[], byte[]> x = new TreeMap<>(Arrays::compareUnsigned);
        TreeMap<byte[], byte[]> y = new TreeMap<>(Arrays::compareUnsigned);
        for (ArrayElement e : a.array) {
            x.put(indexKey(e.index()), e.value());
        }
        for (ArrayElement e : b.array) {
            y.put(indexKey(e.index()), e.value());
        }
        // indexes sort as unsigned big-endian bytes and show as decimal
        sorted(x, y, "index", v -> v, k -> text(Long.toUnsignedString(readIndex(k))));
        if (a.insertIdx != b.insertIdx) {
            add("insert_idx", null, text(a.insertIdx), text(b.insertIdx));
        }
    }

    private static byte[] indexKey(long index) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) index;
            index >>>= 8;
        }
        return b;
    }

    private static long readIndex(byte[] b) {
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xFF);
        }
        return v;
    }

    private void module(KeyValue a, KeyValue b) {
        String x = a.module == null ? null : a.module.moduleType() + " (" + a.module.payload().length + " bytes)";
        String y = b.module == null ? null : b.module.moduleType() + " (" + b.module.payload().length + " bytes)";
        add("module", null, text(x), text(y));
    }

    private static byte[] score(Double d) {
        double v = d;
        if (v == Double.POSITIVE_INFINITY) {
            return text("inf");
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return text("-inf");
        }
        if (v == 0.0) {
            v = 0.0;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return text(Long.toString((long) v));
        }
        return text(Double.toString(v));
    }

    private static byte[] ttl(long ms) {
        return text(ms < 0 ? "none" : Long.toString(ms));
    }

    static byte[] text(long v) {
        return text(Long.toString(v));
    }

    static byte[] text(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
