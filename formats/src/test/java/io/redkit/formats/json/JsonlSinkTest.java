package io.redkit.formats.json;

import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.Command;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleAux;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.StringPart;
import io.redkit.formats.SinkOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.redkit.formats.Ev.b;
import static io.redkit.formats.Ev.elements;
import static io.redkit.formats.Ev.fields;
import static io.redkit.formats.Ev.h;
import static io.redkit.formats.Ev.key;
import static io.redkit.formats.Ev.run;
import static io.redkit.formats.Ev.string;
import static io.redkit.formats.Ev.zmembers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlSinkTest {
    private static String jsonl(SinkOptions o, List<Event> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlSink sink = new JsonlSink(out, o);
        run(sink, events);
        return out.toString(StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static List<Event> all(List<Event>... seqs) {
        List<Event> l = new ArrayList<>();
        for (List<Event> s : seqs) {
            l.addAll(s);
        }
        return l;
    }

    @Test
    void everyTypeInFileOrder() throws IOException {
        List<Event> ev = all(
                List.of(new FunctionLibrary(b("#!lua name=lib\nreturn 1"), 0)),
                string(0, "s", "hello \"q\"\n"),
                key(h(0, new byte[]{(byte) 0xff, 0x00}, DataType.STRING, 1700000000123L),
                        new StringPart(new byte[]{(byte) 0xc3}, true, 0)),
                key(h(0, "l", DataType.LIST), elements("a", "b"), elements("c")),
                key(h(0, "set", DataType.SET), elements("z", "a")),
                key(h(0, "h", DataType.HASH), fields("f2", "v2", -1, "f1", "v1", 4102444800000L)),
                key(h(1, "z", DataType.ZSET), zmembers("inf", Double.POSITIVE_INFINITY, "ninf",
                        Double.NEGATIVE_INFINITY, "frac", 0.1, "int", 42.0, "big", 1e300, "neg0", -0.0)),
                io.redkit.formats.Ev.stream(2, "st"),
                key(h(0, "m", DataType.MODULE), new ModuleValue("hellotype", 42, new byte[]{1}, 0)),
                key(h(0, "arr", DataType.ARRAY), new ArrayElements(List.of(
                        new ArrayElement(0, ArrayElement.TAG_INT, b("-7")),
                        new ArrayElement(-1L, ArrayElement.TAG_FLOAT, b("2.5")),
                        new ArrayElement(3, ArrayElement.TAG_SDS, b("x"))), 4, 0)),
                List.of(new ModuleAux("testrdb", 7, 2, new byte[0], 0),
                        new Command(3, List.of(b("SET"), b("k"), new byte[]{(byte) 0x80}), 1700000000L, 0),
                        new Command(0, List.of(b("PING")), -1, 0)));
        String expected = String.join("\n",
                "{\"function\":\"#!lua name=lib\\nreturn 1\"}",
                "{\"db\":0,\"key\":\"s\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"hello \\\"q\\\"\\n\"}",
                "{\"db\":0,\"key\":{\"b64\":\"/wA=\"},\"type\":\"string\",\"expire_ms\":1700000000123,\"value\":{\"b64\":\"ww==\"}}",
                "{\"db\":0,\"key\":\"l\",\"type\":\"list\",\"expire_ms\":null,\"value\":[\"a\",\"b\",\"c\"]}",
                "{\"db\":0,\"key\":\"set\",\"type\":\"set\",\"expire_ms\":null,\"value\":[\"z\",\"a\"]}",
                "{\"db\":0,\"key\":\"h\",\"type\":\"hash\",\"expire_ms\":null,\"value\":[[\"f2\",\"v2\"],[\"f1\",\"v1\"]],"
                        + "\"field_expire_ms\":[[\"f1\",4102444800000]]}",
                "{\"db\":1,\"key\":\"z\",\"type\":\"zset\",\"expire_ms\":null,\"value\":[[\"inf\",\"inf\"],[\"ninf\",\"-inf\"],"
                        + "[\"frac\",0.1],[\"int\",42],[\"big\",1.0E300],[\"neg0\",0]]}",
                "{\"db\":2,\"key\":\"st\",\"type\":\"stream\",\"expire_ms\":null,\"value\":{\"entries\":[[\"1-0\",[[\"f\",\"v1\"]]],"
                        + "[\"2-5\",[[\"f\",\"v2\"],[\"g\",\"x\"]]]],\"last_id\":\"3-0\",\"groups\":[{\"name\":\"g2\",\"last_id\":\"2-5\","
                        + "\"pending\":1,\"consumers\":[[\"bob\",1],[\"alice\",0]]},{\"name\":\"g1\",\"last_id\":\"0-0\",\"pending\":0,"
                        + "\"consumers\":[]}]}}",
                "{\"db\":0,\"key\":\"m\",\"type\":\"module\",\"expire_ms\":null,\"value\":null,\"module_type\":\"hellotype\"}",
                "{\"db\":0,\"key\":\"arr\",\"type\":\"array\",\"expire_ms\":null,\"value\":[[0,-7],[18446744073709551615,2.5],[3,\"x\"]],"
                        + "\"insert_idx\":4}",
                "{\"module_aux\":\"testrdb\",\"when\":2}",
                "{\"db\":3,\"command\":[\"SET\",\"k\",{\"b64\":\"gA==\"}],\"ts\":1700000000}",
                "{\"db\":0,\"command\":[\"PING\"]}",
                "");
        assertEquals(expected, jsonl(SinkOptions.defaults(), ev));
    }

    @Test
    void sortedIsCanonical() throws IOException {
        List<Event> ev = all(
                string(1, "b", "x"),
                key(h(0, "z", DataType.ZSET), zmembers("b", 2, "c", 1, "a", 2, "n", Double.NEGATIVE_INFINITY)),
                key(h(0, "set", DataType.SET), elements("b", "\u00e9", "a"), elements("B")),
                key(h(0, new byte[]{(byte) 0xff}, DataType.STRING, -1), new StringPart(b("hi"), true, 0)),
                key(h(0, "h", DataType.HASH), fields("f2", "v2", 5, "f1", "v1", 6), fields("f0", "v0", -1)),
                io.redkit.formats.Ev.stream(0, "st"),
                List.of(new FunctionLibrary(b("code"), 0)));
        String expected = String.join("\n",
                "{\"function\":\"code\"}",
                "{\"db\":0,\"key\":\"h\",\"type\":\"hash\",\"expire_ms\":null,\"value\":[[\"f0\",\"v0\"],[\"f1\",\"v1\"],[\"f2\",\"v2\"]],"
                        + "\"field_expire_ms\":[[\"f1\",6],[\"f2\",5]]}",
                "{\"db\":0,\"key\":\"set\",\"type\":\"set\",\"expire_ms\":null,\"value\":[\"B\",\"a\",\"b\",\"\u00e9\"]}",
                "{\"db\":0,\"key\":\"st\",\"type\":\"stream\",\"expire_ms\":null,\"value\":{\"entries\":[[\"1-0\",[[\"f\",\"v1\"]]],"
                        + "[\"2-5\",[[\"f\",\"v2\"],[\"g\",\"x\"]]]],\"last_id\":\"3-0\",\"groups\":[{\"name\":\"g1\",\"last_id\":\"0-0\","
                        + "\"pending\":0,\"consumers\":[]},{\"name\":\"g2\",\"last_id\":\"2-5\",\"pending\":1,"
                        + "\"consumers\":[[\"alice\",0],[\"bob\",1]]}]}}",
                "{\"db\":0,\"key\":\"z\",\"type\":\"zset\",\"expire_ms\":null,\"value\":[[\"n\",\"-inf\"],[\"c\",1],[\"a\",2],[\"b\",2]]}",
                "{\"db\":0,\"key\":{\"b64\":\"/w==\"},\"type\":\"string\",\"expire_ms\":null,\"value\":\"hi\"}",
                "{\"db\":1,\"key\":\"b\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"x\"}",
                "");
        assertEquals(expected, jsonl(SinkOptions.builder().sorted(true).build(), ev));
    }

    @Test
    void sortedSpillsRunsAndMergesThem(@TempDir Path tmp) throws IOException {
        List<Event> ev = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            int n = (i * 7919) % 500; // a permutation of 0..499
            ev.addAll(string(0, String.format("k%04d", n), "v" + n));
        }
        for (int i = 0; i < 500; i++) {
            expected.append(String.format("{\"db\":0,\"key\":\"k%04d\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"v%d\"}%n", i, i));
        }
        SinkOptions o = SinkOptions.builder().sorted(true).sortBudgetBytes(2000).tempDir(tmp).build();
        assertEquals(expected.toString().replace("\r\n", "\n"), jsonl(o, ev));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "run files are deleted");
        }
    }

    @Test
    void sortedLinesCountRuns(@TempDir Path tmp) throws IOException {
        SortedLines s = new SortedLines(200, tmp);
        for (int i = 9; i >= 0; i--) {
            s.add(0, b("k" + i), b("line" + i));
        }
        assertTrue(s.runCount() >= 3, "spilled " + s.runCount());
        List<String> got = new ArrayList<>();
        s.drain(l -> got.add(new String(l, StandardCharsets.UTF_8)));
        assertEquals(List.of("line0", "line1", "line2", "line3", "line4", "line5", "line6", "line7", "line8", "line9"), got);
    }

    @Test
    void chunkedStringIsStreamedAsOneValue(@TempDir Path tmp) throws IOException {
        // "é€😀" split inside each multi-byte character, several parts, with a spill to disk
        byte[] all = b("a\u00e9\u20ac\ud83d\ude00\"z\n");
        List<Event> ev = new ArrayList<>();
        KeyHeader hd = h(0, b("big"), DataType.STRING, -1);
        ev.add(new KeyStart(hd));
        for (int i = 0; i < all.length; i += 2) {
            byte[] p = java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 2));
            ev.add(new StringPart(p, i + 2 >= all.length, 0));
        }
        ev.add(new io.redkit.core.event.KeyEnd(hd, null, 0));
        String out = jsonl(SinkOptions.builder().tempDir(tmp).build(), ev);
        assertEquals("{\"db\":0,\"key\":\"big\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"a\u00e9\u20ac\ud83d\ude00\\\"z\\n\"}\n", out);
        assertEquals(out, jsonl(SinkOptions.builder().sorted(true).tempDir(tmp).build(), ev));
    }

    @Test
    void chunkedInvalidUtf8IsBase64() throws IOException {
        byte[] p1 = b("abc\u00e9").clone();
        byte[] p2 = {(byte) 0xa9, (byte) 0xff, 'x'}; // a stray continuation byte, then 0xff
        List<Event> ev = key(h(0, b("k"), DataType.STRING, -1), new StringPart(p1, false, 0), new StringPart(p2, true, 0));
        byte[] whole = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, whole, 0, p1.length);
        System.arraycopy(p2, 0, whole, p1.length, p2.length);
        assertEquals("{\"db\":0,\"key\":\"k\",\"type\":\"string\",\"expire_ms\":null,\"value\":{\"b64\":\""
                + Base64.getEncoder().encodeToString(whole) + "\"}}\n", jsonl(SinkOptions.defaults(), ev));
    }

    @Test
    void bigStringSpillsToDiskAndIsRemoved(@TempDir Path tmp) throws IOException {
        BigString s = new BigString(4, tmp);
        s.add(b("abc"));
        s.add(b("d\u00e9"));
        s.add(new byte[]{(byte) 0xe2, (byte) 0x82});
        s.add(new byte[]{(byte) 0xac});
        assertTrue(s.isUtf8());
        assertEquals(9, s.length());
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count());
        }
        assertEquals("abcd\u00e9\u20ac", new String(s.open().readAllBytes(), StandardCharsets.UTF_8));
        s.close();
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
        BigString cut = new BigString(100, tmp);
        cut.add(new byte[]{'a', (byte) 0xe2, (byte) 0x82});
        assertTrue(!cut.isUtf8(), "an unfinished sequence at the end is not UTF-8");
        cut.close();
    }

    @Test
    void emptyValuesAndKeyWithoutParts() throws IOException {
        List<Event> ev = all(key(h(0, "l", DataType.LIST)), key(h(0, "s", DataType.STRING)),
                key(h(0, "x", DataType.STREAM)));
        assertEquals("{\"db\":0,\"key\":\"l\",\"type\":\"list\",\"expire_ms\":null,\"value\":[]}\n"
                + "{\"db\":0,\"key\":\"s\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"\"}\n"
                + "{\"db\":0,\"key\":\"x\",\"type\":\"stream\",\"expire_ms\":null,\"value\":{\"entries\":[],\"last_id\":null,"
                + "\"groups\":[]}}\n", jsonl(SinkOptions.defaults(), ev));
    }

    @Test
    void inputFailureMidKeyLeavesTheLineCut() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlSink sink = new JsonlSink(out);
        for (Event e : string(0, "a", "1")) {
            sink.accept(e);
        }
        sink.accept(new KeyStart(h(0, "l", DataType.LIST)));
        sink.accept(elements("x"));
        sink.close();
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("{\"db\":0,\"key\":\"a\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"1\"}\n{\"db\":0,\"key\":\"l\""), s);
        assertTrue(!s.endsWith("}\n"), s);
    }
}
