package io.redkit.formats.html;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.sink.Sink;
import io.redkit.formats.SinkOptions;
import io.redkit.formats.inspect.InspectSink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code redkit inspect} report as one self-contained HTML page: a header (source, RDB and server
 * version, keys, estimated memory), a memory flame graph by key prefix, type, encoding and TTL charts,
 * and the biggest keys. Charts are inline SVG drawn here; a few lines of inline script only sort the
 * tables, and the page reads the same without them. A content security policy forbids every network
 * fetch. The figures are the inspect sink's; this sink only adds a bounded {@link PrefixTree}, so memory
 * stays bounded by the options whatever the input size. Flushes but does not close the stream.
 */
public final class HtmlReportSink implements Sink {
    /** Rows of the per-prefix table at most (the flame graph shows the rest of the hierarchy). */
    static final int MAX_PREFIX_ROWS = 100;
    private static final int KEY_PREVIEW = 120;
    private static final int WIDTH = 1100;
    private static final int ROW = 22;
    private static final double CHAR_PX = 6.6;

    private final InspectSink inspect;
    private final PrefixTree tree;
    private final String delimiter;
    private final long nowMs;

    /** A report sink with the inspect options ({@code topN}, {@code prefixDelimiters}, {@code nowMs}, ...). */
    public HtmlReportSink(OutputStream out, SinkOptions options) {
        byte[] delims = options.prefixDelimiters().getBytes(StandardCharsets.UTF_8);
        this.tree = new PrefixTree(delims);
        this.delimiter = options.prefixDelimiters().isEmpty() ? "" : options.prefixDelimiters().substring(0, 1);
        this.nowMs = options.nowMs() >= 0 ? options.nowMs() : System.currentTimeMillis();
        SinkOptions fixedNow = SinkOptions.builder()
                .topN(options.topN())
                .maxPrefixes(options.maxPrefixes())
                .prefixDelimiters(options.prefixDelimiters())
                .nowMs(nowMs)
                .build();
        this.inspect = new InspectSink(out, fixedNow, this::render, (h, size, elements) -> tree.add(h.key(), size));
    }

    @Override
    public void accept(Event e) throws IOException {
        inspect.accept(e);
    }

    @Override
    public void close() throws IOException {
        inspect.close();
    }

    /** The prefix tree gathered so far (for tests). */
    PrefixTree tree() {
        return tree;
    }

    private void render(InspectSink r, OutputStream os) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
        String source = r.source() == null ? "(no source)" : r.source();
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // nothing may be fetched: inline style and script only, images only as data: URLs
        w.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        w.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        // the tab shows the file's name; the header below has the whole path
        String shortName = source.substring(source.lastIndexOf('/') + 1);
        w.write("<title>redkit inspect: " + Html.esc(shortName.isEmpty() ? source : shortName) + "</title>\n");
        w.write(STYLE);
        w.write("</head>\n<body>\n");
        header(w, r, source);
        flame(w);
        types(w, r);
        encodings(w, r);
        ttl(w, r);
        topTable(w, "Biggest keys by estimated memory", "top-memory", r.topByMemory(), true);
        topTable(w, "Collections with the most elements", "top-elements", r.topByElements(), false);
        dbs(w, r);
        prefixes(w, r);
        w.write("<footer>Written by redkit inspect. Memory figures are estimates of what Redis would use "
                + "(the same as <code>redkit dump -f memory</code>). TTL buckets are relative to "
                + Html.esc(Instant.ofEpochMilli(nowMs).toString()) + ".</footer>\n");
        w.write(SCRIPT);
        w.write("</body>\n</html>\n");
        w.flush();
    }

    private void header(Writer w, InspectSink r, String source) throws IOException {
        Map<String, String> aux = r.aux();
        String server = aux.containsKey("valkey-ver") ? "valkey " + aux.get("valkey-ver")
                : aux.containsKey("redis-ver") ? "redis " + aux.get("redis-ver") : null;
        w.write("<header>\n<h1>" + Html.esc(source) + "</h1>\n<dl class=\"facts\">\n");
        fact(w, "keys", Html.num(r.keys()));
        fact(w, "estimated memory", Html.human(r.estimatedBytes()) + " (" + Html.num(r.estimatedBytes()) + " bytes)");
        fact(w, "keys with a TTL", Html.num(r.keysWithTtl()) + " (" + Html.pct(r.keysWithTtl(), r.keys()) + ")");
        fact(w, "source kind", r.sourceKind());
        fact(w, "RDB version", r.rdbVersion() >= 0 ? r.dialect() + " " + r.rdbVersion() : null);
        fact(w, "server version", server);
        fact(w, "checksum", r.checksum());
        String ctime = aux.get("ctime");
        if (ctime != null) {
            try {
                ctime = Instant.ofEpochSecond(Long.parseLong(ctime.trim())) + " (" + ctime + ")";
            } catch (NumberFormatException | java.time.DateTimeException notSeconds) {
                // shown as found
            }
            fact(w, "created", ctime);
        }
        if (aux.containsKey("used-mem")) {
            fact(w, "used memory (server)", aux.get("used-mem"));
        }
        fact(w, "function libraries", Long.toString(r.functionLibraries()));
        if (r.commands() > 0) {
            fact(w, "commands", Html.num(r.commands()));
        }
        w.write("</dl>\n</header>\n");
    }

    private static void fact(Writer w, String name, String value) throws IOException {
        w.write("<div><dt>" + Html.esc(name) + "</dt><dd>" + Html.esc(value) + "</dd></div>\n");
    }

    // ---- flame graph -------------------------------------------------------------------------

    /** An icicle (top-down flame graph): one row per prefix level, widths by estimated bytes. */
    private void flame(Writer w) throws IOException {
        PrefixTree.Node root = tree.root();
        int rows = Math.max(2, depth(root, 0) + 1);
        int height = rows * ROW;
        w.write("<section id=\"flame\">\n<h2>Memory by key prefix</h2>\n<p class=\"note\">Each row splits the prefixes "
                + "of the row above at the next delimiter (<code>" + Html.esc(delimiter.isEmpty() ? "none" : delimiter)
                + "</code>). Widths are estimated bytes. <i>(keys)</i> are keys that end at that level, <i>(other)</i> "
                + "prefixes beyond the report's bounds. Hover for figures.</p>\n");
        w.write("<svg class=\"chart\" role=\"img\" aria-label=\"memory flame graph\" viewBox=\"0 0 " + WIDTH + " " + height
                + "\" width=\"" + WIDTH + "\" height=\"" + height + "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        long total = root.bytes();
        String rootLabel = "all keys: " + Html.human(total) + ", " + Html.num(root.keys()) + " keys";
        bar(w, 0, 0, WIDTH, "#c9c2b8", rootLabel, rootLabel);
        if (total > 0) {
            node(w, root, 0, WIDTH, 1, "", total, 0);
        }
        w.write("</svg>\n</section>\n");
    }

    private static int depth(PrefixTree.Node n, int d) {
        int max = d + (n.ownKeys() > 0 || n.otherKeys() > 0 ? 1 : 0);
        for (PrefixTree.Node c : n.children()) {
            max = Math.max(max, depth(c, d + 1));
        }
        return max;
    }

    /** Lays out the children of {@code n} (which spans x..x+width on the row above {@code row}). */
    private void node(Writer w, PrefixTree.Node n, double x, double width, int row, String path, long total, int hue)
            throws IOException {
        double scale = width / Math.max(1, n.bytes());
        double cx = x;
        int index = 0;
        for (PrefixTree.Node c : n.children()) {
            double cw = c.bytes() * scale;
            if (cw < 0.5) {
                // sorted biggest first: the rest are narrower still
                break;
            }
            String name = c.name().length == 0 ? "(empty)" : Html.preview(c.name(), 60);
            String p = path.isEmpty() ? name : path + delimiter + name;
            // first-level prefixes get hues a golden angle apart, so neighbours differ; descendants keep theirs
            int h = row == 1 ? (int) Math.round(index++ * 137.508 + 20) % 360 : hue;
            String fill = "hsl(" + h + "," + (60 - Math.min(row, 5) * 4) + "%," + (52 + Math.min(row, 6) * 5) + "%)";
            String tip = p + delimiter + "*: " + Html.human(c.bytes()) + " (" + Html.pct(c.bytes(), total) + "), "
                    + Html.num(c.keys()) + " keys";
            bar(w, cx, row, cw, fill, name, tip);
            node(w, c, cx, cw, row + 1, p, total, h);
            cx += cw;
        }
        // what is left of the row: the node's own keys, its "other" and children too narrow to draw
        double rest = x + width - cx;
        if (rest >= 0.5) {
            long restBytes = n.bytes();
            for (PrefixTree.Node c : n.children()) {
                if (c.bytes() * scale >= 0.5) {
                    restBytes -= c.bytes();
                }
            }
            String label = n.otherKeys() == 0 && n.ownKeys() > 0 ? "(keys)" : n.ownKeys() == 0 ? "(other)" : "(keys, other)";
            String where = path.isEmpty() ? "top level" : path + delimiter + "*";
            String tip = where + " " + label + ": " + Html.human(restBytes) + " (" + Html.pct(restBytes, total) + ")";
            bar(w, cx, row, rest, "#d8d4ce", label, tip);
        }
    }

    private static void bar(Writer w, double x, int row, double width, String fill, String label, String tip)
            throws IOException {
        double y = row * ROW;
        w.write("<g><title>" + Html.esc(tip) + "</title><rect x=\"" + Html.f(x) + "\" y=\"" + Html.f(y) + "\" width=\""
                + Html.f(Math.max(0.5, width - 0.5)) + "\" height=\"" + (ROW - 1) + "\" fill=\"" + fill + "\"/>");
        int chars = (int) ((width - 6) / CHAR_PX);
        if (chars >= 3) {
            String t = label.length() <= chars ? label : label.substring(0, Math.max(1, chars - 1)) + "\u2026";
            w.write("<text x=\"" + Html.f(x + 3) + "\" y=\"" + Html.f(y + ROW - 7) + "\">" + Html.esc(t) + "</text>");
        }
        w.write("</g>\n");
    }

    // ---- bar charts ----------------------------------------------------------------------------

    private static void types(Writer w, InspectSink r) throws IOException {
        List<String> labels = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        for (DataType t : DataType.values()) {
            if (r.typeKeys(t) > 0) {
                labels.add(t.id());
                values.add(new long[] {r.typeBytes(t), r.typeKeys(t)});
            }
        }
        w.write("<section id=\"types\">\n<h2>Types</h2>\n<p class=\"note\">Bars: estimated memory; keys after each bar.</p>\n");
        hbars(w, "memory by type", labels, values, r.estimatedBytes(), true);
        w.write("</section>\n");
    }

    private static void encodings(Writer w, InspectSink r) throws IOException {
        List<String> labels = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        for (Map.Entry<String, Long> en : r.encodings().entrySet()) {
            labels.add(en.getKey());
            values.add(new long[] {en.getValue(), en.getValue()});
        }
        w.write("<section id=\"encodings\">\n<h2>Encodings</h2>\n<p class=\"note\">Keys per type and encoding.</p>\n");
        hbars(w, "keys by encoding", labels, values, r.keys(), false);
        w.write("</section>\n");
    }

    /** Horizontal bars: value[0] sets the length; the text names value[0] (and value[1] keys when bytes). */
    private static void hbars(Writer w, String name, List<String> labels, List<long[]> values, long whole, boolean bytes)
            throws IOException {
        int labelW = 190;
        int barMax = 620;
        int rowH = 24;
        int height = Math.max(1, labels.size()) * rowH + 8;
        w.write("<svg class=\"chart\" role=\"img\" aria-label=\"" + Html.esc(name) + "\" viewBox=\"0 0 " + WIDTH + " "
                + height + "\" width=\"" + WIDTH + "\" height=\"" + height + "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        long max = 1;
        for (long[] v : values) {
            max = Math.max(max, v[0]);
        }
        if (labels.isEmpty()) {
            w.write("<rect x=\"" + labelW + "\" y=\"4\" width=\"" + barMax + "\" height=\"" + (rowH - 6)
                    + "\" class=\"track\"/><text x=\"" + (labelW + 6) + "\" y=\"" + (rowH - 6) + "\">no keys</text>\n");
        }
        for (int i = 0; i < labels.size(); i++) {
            long[] v = values.get(i);
            double y = 4 + i * rowH;
            double len = Math.max(1, (double) barMax * v[0] / max);
            String figure = bytes ? Html.human(v[0]) + " (" + Html.pct(v[0], whole) + "), " + Html.num(v[1]) + " keys"
                    : Html.num(v[0]) + " keys (" + Html.pct(v[0], whole) + ")";
            w.write("<g><title>" + Html.esc(labels.get(i) + ": " + figure) + "</title>");
            w.write("<text x=\"" + (labelW - 8) + "\" y=\"" + Html.f(y + rowH - 10) + "\" text-anchor=\"end\">"
                    + Html.esc(labels.get(i)) + "</text>");
            w.write("<rect class=\"track\" x=\"" + labelW + "\" y=\"" + Html.f(y) + "\" width=\"" + barMax + "\" height=\""
                    + (rowH - 6) + "\"/>");
            w.write("<rect x=\"" + labelW + "\" y=\"" + Html.f(y) + "\" width=\"" + Html.f(len) + "\" height=\"" + (rowH - 6)
                    + "\" fill=\"" + color(i) + "\"/>");
            w.write("<text x=\"" + (labelW + barMax + 8) + "\" y=\"" + Html.f(y + rowH - 10) + "\">" + Html.esc(figure)
                    + "</text></g>\n");
        }
        w.write("</svg>\n");
    }

    private static String color(int i) {
        String[] palette = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
            "#9c755f", "#bab0ac"};
        return palette[i % palette.length];
    }

    /** Columns per TTL bucket. */
    private static void ttl(Writer w, InspectSink r) throws IOException {
        long[] hist = r.ttlHistogram();
        List<String> names = InspectSink.TTL_BUCKETS;
        int colW = 90;
        int plotH = 160;
        int top = 20;
        int height = top + plotH + 30;
        long max = 1;
        for (long v : hist) {
            max = Math.max(max, v);
        }
        w.write("<section id=\"ttl\">\n<h2>TTL histogram</h2>\n<p class=\"note\">Keys by time left to live; "
                + "<i>none</i> have no TTL, <i>expired</i> were past their time when the report was made.</p>\n");
        int width = 40 + names.size() * colW;
        w.write("<svg class=\"chart\" role=\"img\" aria-label=\"TTL histogram\" viewBox=\"0 0 " + width + " " + height
                + "\" width=\"" + width + "\" height=\"" + height + "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
        w.write("<rect class=\"axis\" x=\"20\" y=\"" + (top + plotH) + "\" width=\"" + (names.size() * colW) + "\" height=\"1\"/>\n");
        for (int i = 0; i < names.size(); i++) {
            double h = hist[i] == 0 ? 0 : Math.max(1, (double) plotH * hist[i] / max);
            double x = 20 + i * colW + 10;
            double cw = colW - 20;
            w.write("<g><title>" + Html.esc(names.get(i) + ": " + Html.num(hist[i]) + " keys ("
                    + Html.pct(hist[i], r.keys()) + ")") + "</title>");
            w.write("<rect x=\"" + Html.f(x) + "\" y=\"" + Html.f(top + plotH - h) + "\" width=\"" + Html.f(cw)
                    + "\" height=\"" + Html.f(h) + "\" fill=\"" + (i == names.size() - 1 ? "#bab0ac" : "#4e79a7") + "\"/>");
            w.write("<text x=\"" + Html.f(x + cw / 2) + "\" y=\"" + Html.f(top + plotH - h - 4)
                    + "\" text-anchor=\"middle\">" + Html.num(hist[i]) + "</text>");
            w.write("<text x=\"" + Html.f(x + cw / 2) + "\" y=\"" + (top + plotH + 18) + "\" text-anchor=\"middle\">"
                    + Html.esc(names.get(i)) + "</text></g>\n");
        }
        w.write("</svg>\n</section>\n");
    }

    // ---- tables --------------------------------------------------------------------------------

    private static void topTable(Writer w, String title, String id, List<InspectSink.TopKey> rows, boolean bytes)
            throws IOException {
        w.write("<section id=\"" + id + "\">\n<h2>" + Html.esc(title) + "</h2>\n");
        if (rows.isEmpty()) {
            w.write("<p class=\"note\">none</p>\n</section>\n");
            return;
        }
        w.write("<table class=\"sortable\">\n<thead><tr><th>#</th><th>db</th><th>type</th><th>key</th><th class=\"n\">"
                + (bytes ? "est. bytes" : "elements") + "</th></tr></thead>\n<tbody>\n");
        int i = 1;
        for (InspectSink.TopKey t : rows) {
            w.write("<tr><td data-v=\"" + i + "\">" + i + "</td><td data-v=\"" + t.db() + "\">" + t.db() + "</td><td>"
                    + Html.esc(t.type().id()) + "</td><td class=\"key\">" + Html.esc(Html.preview(t.key(), KEY_PREVIEW))
                    + "</td><td class=\"n\" data-v=\"" + t.value() + "\">" + (bytes ? Html.human(t.value()) : Html.num(t.value()))
                    + "</td></tr>\n");
            i++;
        }
        w.write("</tbody>\n</table>\n</section>\n");
    }

    private static void dbs(Writer w, InspectSink r) throws IOException {
        w.write("<section id=\"dbs\">\n<h2>Databases</h2>\n<table class=\"sortable\">\n<thead><tr><th>db</th>"
                + "<th class=\"n\">keys</th><th class=\"n\">with TTL</th><th class=\"n\">est. bytes</th></tr></thead>\n<tbody>\n");
        for (InspectSink.DbStats d : r.dbs()) {
            w.write("<tr><td data-v=\"" + d.db() + "\">" + d.db() + "</td><td class=\"n\" data-v=\"" + d.keys() + "\">"
                    + Html.num(d.keys()) + "</td><td class=\"n\" data-v=\"" + d.keysWithTtl() + "\">" + Html.num(d.keysWithTtl())
                    + "</td><td class=\"n\" data-v=\"" + d.estimatedBytes() + "\">" + Html.human(d.estimatedBytes())
                    + "</td></tr>\n");
        }
        w.write("</tbody>\n</table>\n</section>\n");
    }

    private static void prefixes(Writer w, InspectSink r) throws IOException {
        List<InspectSink.PrefixStats> all = r.prefixes();
        w.write("<section id=\"prefixes\">\n<h2>First-level prefixes</h2>\n");
        w.write("<table class=\"sortable\">\n<thead><tr><th>prefix</th><th class=\"n\">keys</th><th class=\"n\">est. bytes</th>"
                + "<th class=\"n\">share</th></tr></thead>\n<tbody>\n");
        int shown = 0;
        long restKeys = 0;
        long restBytes = 0;
        for (InspectSink.PrefixStats p : all) {
            if (shown >= MAX_PREFIX_ROWS) {
                restKeys += p.keys();
                restBytes += p.estimatedBytes();
                continue;
            }
            shown++;
            w.write("<tr><td class=\"key\">" + Html.esc(p.prefix()) + "</td><td class=\"n\" data-v=\"" + p.keys() + "\">"
                    + Html.num(p.keys()) + "</td><td class=\"n\" data-v=\"" + p.estimatedBytes() + "\">"
                    + Html.human(p.estimatedBytes()) + "</td><td class=\"n\" data-v=\"" + p.estimatedBytes() + "\">"
                    + Html.pct(p.estimatedBytes(), r.estimatedBytes()) + "</td></tr>\n");
        }
        if (restKeys > 0) {
            w.write("<tr><td class=\"key\"><i>" + (all.size() - shown) + " more</i></td><td class=\"n\" data-v=\"" + restKeys
                    + "\">" + Html.num(restKeys) + "</td><td class=\"n\" data-v=\"" + restBytes + "\">" + Html.human(restBytes)
                    + "</td><td class=\"n\" data-v=\"" + restBytes + "\">" + Html.pct(restBytes, r.estimatedBytes())
                    + "</td></tr>\n");
        }
        w.write("</tbody>\n</table>\n</section>\n");
    }

    private static final String STYLE = """
            <style>
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1140px;
            padding:16px;color:#222;background:#fcfbf9}
            h1{font-size:20px;margin:0 0 8px;word-break:break-all}h2{font-size:16px;margin:28px 0 4px}
            .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:4px 16px;margin:0}
            .facts div{border-left:3px solid #4e79a7;padding:2px 8px}dt{font-size:12px;color:#666}dd{margin:0;font-weight:600}
            .note{color:#666;font-size:12px;margin:0 0 6px}
            svg.chart{display:block;max-width:100%;height:auto;font:12px system-ui,sans-serif}
            svg text{fill:#222;pointer-events:none}svg .track{fill:#eeeae4}svg .axis{fill:#999}
            svg g:hover rect{stroke:#222;stroke-width:1}
            table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #e4e0da;
            text-align:left;vertical-align:top}th{background:#f1eee9;cursor:pointer;user-select:none}.n{text-align:right}
            td.key{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
            footer{margin-top:28px;color:#666;font-size:12px}
            </style>
            """;

    /** Sorts a table by a clicked column (numbers by data-v); nothing else depends on it. */
    private static final String SCRIPT = """
            <script>
            document.querySelectorAll('table.sortable th').forEach(function (th) {
              th.addEventListener('click', function () {
                var table = th.closest('table');
                var col = Array.prototype.indexOf.call(th.parentNode.children, th);
                var desc = th.getAttribute('data-sort') !== 'desc';
                th.parentNode.querySelectorAll('th').forEach(function (o) { o.removeAttribute('data-sort'); });
                th.setAttribute('data-sort', desc ? 'desc' : 'asc');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                function key(r) {
                  var c = r.cells[col];
                  var v = c.getAttribute('data-v');
                  return v !== null ? Number(v) : c.textContent;
                }
                rows.sort(function (a, b) {
                  var x = key(a), y = key(b);
                  var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
                  return desc ? -c : c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
            </script>
            """;
}
