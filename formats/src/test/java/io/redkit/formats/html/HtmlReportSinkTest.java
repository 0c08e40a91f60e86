package io.redkit.formats.html;

import io.redkit.core.event.Aux;
import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StringPart;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.formats.SinkOptions;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.redkit.formats.Ev.b;
import static io.redkit.formats.Ev.elements;
import static io.redkit.formats.Ev.h;
import static io.redkit.formats.Ev.key;
import static io.redkit.formats.Ev.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportSinkTest {
    private static final long NOW = 1_700_000_000_000L;

    private static String report(List<Event> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(new HtmlReportSink(out, SinkOptions.builder().nowMs(NOW).topN(5).build()), events);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void headerChartsAndTables() throws IOException {
        List<Event> l = new ArrayList<>();
        l.add(new Begin(SourceKind.RDB, "dump.rdb", Dialect.REDIS, 11, 0));
        l.add(new Aux(b("redis-ver"), b("7.2.4"), 0));
        l.addAll(key(h(0, b("user:1:name"), DataType.STRING, NOW + 30_000), new StringPart(b("x".repeat(1000)), true, 0)));
        l.addAll(key(h(0, b("user:2:name"), DataType.STRING, -1), new StringPart(b("y"), true, 0)));
        l.addAll(key(h(1, b("queue:jobs"), DataType.LIST, -1), elements("a", "b", "c")));
        l.add(new End(0, false, 0));
        String s = report(l);
        assertTrue(s.startsWith("<!DOCTYPE html>"), s);
        assertTrue(s.contains("<title>redkit inspect: dump.rdb</title>"), s);
        assertTrue(s.contains("<dt>server version</dt><dd>redis 7.2.4</dd>"), s);
        assertTrue(s.contains("<dt>RDB version</dt><dd>redis 11</dd>"), s);
        assertTrue(s.contains("<dt>keys</dt><dd>3</dd>"), s);
        assertEquals(4, count(s, "<svg "), "flame graph, types, encodings, TTL");
        assertTrue(s.contains(">user</text>"), "a first-level prefix is labelled");
        assertTrue(s.contains("<title>user:1:*: "), "tooltips name the prefix path");
        assertTrue(s.contains("<td class=\"key\">user:1:name</td>"), s);
        // nothing that would reach the network
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(s).find(), "no src/href attributes");
        assertFalse(s.contains("http://") && !onlySvgNamespace(s), "no URL but the SVG namespace");
        assertFalse(s.contains("url("), "no CSS url()");
    }

    private static boolean onlySvgNamespace(String s) {
        return s.replace("http://www.w3.org/2000/svg", "").indexOf("http://") < 0;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void binaryAndHostileKeysAreEscaped() throws IOException {
        List<Event> l = new ArrayList<>();
        l.add(new Begin(SourceKind.RDB, "<b>evil</b>.rdb", Dialect.REDIS, 9, 0));
        l.addAll(key(h(0, b("<script>alert(1)</script>:x"), DataType.STRING, -1), new StringPart(b("v"), true, 0)));
        l.addAll(key(h(0, new byte[] {(byte) 0xff, 0, '"', '\'', '&', ':', 'k'}, DataType.STRING, -1),
                new StringPart(b("v".repeat(100)), true, 0)));
        l.addAll(key(h(0, b("rtl\u202Ekey"), DataType.STRING, -1), new StringPart(b("v"), true, 0)));
        l.add(new End(0, false, 0));
        String s = report(l);
        assertFalse(s.contains("<script>alert"), "a key is never markup");
        assertFalse(s.contains("<b>evil"), "nor the source name");
        assertTrue(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;:x"), s);
        assertTrue(s.contains("\\xff\\x00&quot;&#39;&amp;:k"), s);
        assertTrue(s.contains("rtl\\u{202e}key"), s);
        assertFalse(s.contains("\u202E"), "no direction override reaches the page");
        // the page's own script is the only one
        assertEquals(1, count(s, "<script>"));
    }

    @Test
    void emptySourceStillDrawsEveryChart() throws IOException {
        String s = report(List.of(new Begin(SourceKind.RDB, "empty.rdb", Dialect.REDIS, 11, 0), new End(0, false, 0)));
        Matcher m = Pattern.compile("<svg [^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(s);
        int charts = 0;
        while (m.find()) {
            charts++;
            assertTrue(m.group(1).contains("<rect"), "a chart without shapes: " + m.group());
        }
        assertEquals(4, charts);
    }

    @Test
    void mixedFixtureReportIsBoundedAndComplete() throws IOException {
        Path rdb = Fixtures.file("rdb/r70-mixed.rdb");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlReportSink sink = new HtmlReportSink(out, SinkOptions.builder().nowMs(NOW).build());
        try (InputStream in = Files.newInputStream(rdb); RdbReader reader = RdbReader.open(in, "r70-mixed.rdb")) {
            Pipeline.run(reader, KeyFilter.all(), sink);
        }
        sink.close();
        String s = out.toString(StandardCharsets.UTF_8);
        Files.writeString(Path.of("target/r70-mixed-report.html"), s);
        assertEquals(3108, sink.tree().root().keys());
        assertTrue(s.contains("<dt>keys</dt><dd>3,108</dd>"), s.substring(0, Math.min(3000, s.length())));
        assertTrue(s.contains("<dt>server version</dt><dd>redis 7.0.15</dd>"));
        assertTrue(s.length() < 2_000_000, "page size " + s.length());
    }
}
