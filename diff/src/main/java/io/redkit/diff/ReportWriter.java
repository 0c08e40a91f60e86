package io.redkit.diff;

import io.redkit.core.Bytes;

import java.io.IOException;
import java.io.Writer;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;

/**
 * Writes a {@link DiffResult}: a summary, then the listed differences, as text for people or as JSON lines
 * for scripts. In jsonl the first line is {@code {"summary": {...}}} and each difference is one
 * {@code {"diff": [...], "db": ..., "key": S, ...}} line, with byte strings as in the dump jsonl contract
 * (a JSON string when valid UTF-8, else {@code {"b64": ...}}).
 */
public final class ReportWriter {
    /** The report formats. */
    public enum Format {
        /** Lines for a terminal. */
        TEXT,
        /** One JSON object per line. */
        JSONL
    }

    private ReportWriter() {
    }

    /** Writes {@code r} in {@code format} to {@code out} (not closed, flushed). */
    public static void write(DiffResult r, Format format, Writer out) throws IOException {
        if (format == Format.JSONL) {
            jsonl(r, out);
        } else {
            text(r, out);
        }
        out.flush();
    }

    // ---- text

    private static void text(DiffResult r, Writer w) throws IOException {
        w.write("A: " + r.a().path() + " (" + r.a().description() + "): " + count(r.a().keys()) + " keys\n");
        w.write("B: " + r.b().path() + " (" + r.b().description() + "): " + count(r.b().keys()) + " keys\n");
        if (r.isSame()) {
            w.write("same: all " + count(r.same()) + " keys are equal\n");
            return;
        }
        w.write("different: " + count(r.different()) + " key(s)  (missing " + count(r.missing())
                + ", extra " + count(r.extra()) + ", type " + count(r.type()) + ", value " + count(r.value())
                + ", ttl " + count(r.ttl()) + "; same " + count(r.same()) + ")\n");
        for (Difference d : r.differences()) {
            w.write(textLine(d));
            w.write('\n');
            for (ElementDiff e : d.details()) {
                w.write("    " + textDetail(e) + "\n");
            }
            if (d.moreDetails() > 0) {
                w.write("    ... and " + count(d.moreDetails()) + " more element difference(s)\n");
            }
            if (d.note() != null) {
                w.write("    (" + d.note() + ")\n");
            }
        }
        long hidden = r.different() - r.differences().size();
        if (hidden > 0) {
            w.write("... and " + count(hidden) + " more differing key(s) (--max-diffs raises the limit)\n");
        }
    }

    private static String textLine(Difference d) {
        StringBuilder sb = new StringBuilder();
        Iterator<Difference.Kind> it = d.kinds().iterator();
        while (it.hasNext()) {
            sb.append(it.next().id()).append(it.hasNext() ? "+" : "");
        }
        sb.append(": db ").append(d.ref().db()).append(" '").append(Bytes.preview(d.ref().key())).append("'");
        DigestRecord a = d.a();
        DigestRecord b = d.b();
        if (b == null) {
            sb.append(" (").append(shape(a)).append(") is not in B");
        } else if (a == null) {
            sb.append(" (").append(shape(b)).append(") is not in A");
        } else {
            if (d.kinds().contains(Difference.Kind.TYPE)) {
                sb.append(": A ").append(shape(a)).append(", B ").append(shape(b));
            } else {
                sb.append(" (").append(a.type().id()).append(")");
                if (d.kinds().contains(Difference.Kind.VALUE)) {
                    sb.append(": A ").append(shape(a)).append(", B ").append(shape(b));
                }
            }
            if (d.kinds().contains(Difference.Kind.TTL)) {
                sb.append("; expiry A ").append(expiry(a.expireMs())).append(", B ").append(expiry(b.expireMs()));
            }
        }
        return sb.toString();
    }

    private static String shape(DigestRecord r) {
        switch (r.type()) {
            case STRING:
                return "string of " + count(r.size()) + " bytes '" + Bytes.preview(r.preview()) + "'"
                        + (r.size() > r.preview().length ? "..." : "");
            case STREAM:
                return "stream of " + count(r.size()) + " entries";
            case MODULE:
                return "module value";
            default:
                return r.type().id() + " of " + count(r.size()) + " elements";
        }
    }

    private static String expiry(long ms) {
        return ms < 0 ? "none" : ms + " (" + java.time.Instant.ofEpochMilli(ms) + ")";
    }

    private static String textDetail(ElementDiff e) {
        String item = e.item() == null ? "" : " '" + Bytes.preview(e.item()) + "'";
        return e.what() + item + ": A " + shown(e.a()) + ", B " + shown(e.b());
    }

    private static String shown(byte[] v) {
        return v == null ? "(absent)" : "'" + Bytes.preview(v) + "'";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    // ---- jsonl

    private static void jsonl(DiffResult r, Writer w) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"summary\": {\"a\": ");
        side(sb, r.a());
        sb.append(", \"b\": ");
        side(sb, r.b());
        sb.append(", \"same\": ").append(r.same())
                .append(", \"different\": ").append(r.different())
                .append(", \"missing\": ").append(r.missing())
                .append(", \"extra\": ").append(r.extra())
                .append(", \"type\": ").append(r.type())
                .append(", \"value\": ").append(r.value())
                .append(", \"ttl\": ").append(r.ttl())
                .append(", \"listed\": ").append(r.differences().size())
                .append("}}\n");
        w.write(sb.toString());
        for (Difference d : r.differences()) {
            sb.setLength(0);
            sb.append("{\"diff\": [");
            Iterator<Difference.Kind> it = d.kinds().iterator();
            while (it.hasNext()) {
                sb.append('"').append(it.next().id()).append('"').append(it.hasNext() ? ", " : "");
            }
            sb.append("], \"db\": ").append(d.ref().db()).append(", \"key\": ");
            bytes(sb, d.ref().key());
            sb.append(", \"a\": ");
            record(sb, d.a());
            sb.append(", \"b\": ");
            record(sb, d.b());
            if (!d.details().isEmpty() || d.moreDetails() > 0) {
                sb.append(", \"details\": [");
                for (int i = 0; i < d.details().size(); i++) {
                    ElementDiff e = d.details().get(i);
                    sb.append(i == 0 ? "" : ", ").append("{\"what\": \"").append(e.what()).append("\", \"item\": ");
                    bytes(sb, e.item());
                    sb.append(", \"a\": ");
                    bytes(sb, e.a());
                    sb.append(", \"b\": ");
                    bytes(sb, e.b());
                    sb.append('}');
                }
                sb.append("], \"more_details\": ").append(d.moreDetails());
            }
            if (d.note() != null) {
                sb.append(", \"note\": ");
                string(sb, d.note());
            }
            sb.append("}\n");
            w.write(sb.toString());
        }
    }

    private static void side(StringBuilder sb, DiffResult.Side s) {
        sb.append("{\"source\": ");
        string(sb, s.path());
        sb.append(", \"kind\": ");
        string(sb, s.description());
        sb.append(", \"keys\": ").append(s.keys()).append('}');
    }

    private static void record(StringBuilder sb, DigestRecord r) {
        if (r == null) {
            sb.append("null");
            return;
        }
        sb.append("{\"type\": \"").append(r.type().id()).append("\", \"expire_ms\": ")
                .append(r.expireMs() < 0 ? "null" : Long.toString(r.expireMs()))
                .append(", \"size\": ").append(r.size());
        if (r.type() == io.redkit.core.event.DataType.STRING) {
            sb.append(", \"preview\": ");
            bytes(sb, r.preview());
        }
        sb.append('}');
    }

    /** Bytes as the jsonl contract writes them. */
    static void bytes(StringBuilder sb, byte[] b) {
        if (b == null) {
            sb.append("null");
        } else if (Bytes.isUtf8(b)) {
            string(sb, new String(b, java.nio.charset.StandardCharsets.UTF_8));
        } else {
            sb.append("{\"b64\": \"").append(Base64.getEncoder().encodeToString(b)).append("\"}");
        }
    }

    static void string(StringBuilder sb, String s) {
        io.redkit.core.JsonStrings.append(sb, s);
    }
}
