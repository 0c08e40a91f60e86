package io.redkit.formats;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StringPart;
import io.redkit.formats.json.JsonlSink;
import io.redkit.formats.resp.RespSink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** However a value is split into parts, the sinks write the same thing as for one part. */
class ChunkingProperties {
    @Provide
    Arbitrary<byte[]> text() {
        // mostly UTF-8 text with multi-byte characters, sometimes arbitrary bytes
        Arbitrary<byte[]> utf8 = Arbitraries.strings().withCharRange('\u0000', '\u07ff').withChars("\u20ac\ud83d\ude00")
                .ofMaxLength(40).map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, utf8), net.jqwik.api.Tuple.of(1, raw));
    }

    private static List<Event> split(KeyHeader h, byte[] value, List<Integer> cuts) {
        List<Event> ev = new ArrayList<>();
        ev.add(new KeyStart(h));
        int[] points = cuts.stream().mapToInt(c -> Math.min(c, value.length)).sorted().distinct().toArray();
        int start = 0;
        for (int p : points) {
            if (p > start && p < value.length) {
                ev.add(new StringPart(Arrays.copyOfRange(value, start, p), false, 0));
                start = p;
            }
        }
        ev.add(new StringPart(Arrays.copyOfRange(value, start, value.length), true, 0));
        ev.add(new KeyEnd(h, null, 0));
        return ev;
    }

    private static byte[] jsonl(List<Event> ev, boolean sorted) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Ev.run(new JsonlSink(out, sorted), ev);
        return out.toByteArray();
    }

    @Property(tries = 300)
    void jsonlStringIndependentOfParts(@ForAll("text") byte[] value,
                                       @ForAll @Size(max = 5) List<@IntRange(max = 40) Integer> cuts,
                                       @ForAll boolean sorted) throws IOException {
        KeyHeader h = Ev.h(0, new byte[]{'k'}, DataType.STRING, -1);
        byte[] one = jsonl(split(h, value, List.of()), sorted);
        assertArrayEquals(one, jsonl(split(h, value, cuts), sorted), new String(one, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Property(tries = 200)
    void respListIndependentOfChunks(@ForAll @Size(max = 30) List<@Size(max = 20) List<Byte>> items,
                                     @ForAll @IntRange(min = 1, max = 7) int chunk) throws IOException {
        KeyHeader h = Ev.h(3, new byte[]{'l'}, DataType.LIST, -1);
        List<byte[]> all = new ArrayList<>();
        for (List<Byte> it : items) {
            byte[] b = new byte[it.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = it.get(i);
            }
            all.add(b);
        }
        List<Event> ev = new ArrayList<>();
        ev.add(new KeyStart(h));
        for (int i = 0; i < all.size(); i += chunk) {
            ev.add(new Elements(all.subList(i, Math.min(all.size(), i + chunk)), 0));
        }
        ev.add(new KeyEnd(h, null, 0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Ev.run(new RespSink(out), ev);
        List<List<byte[]>> cmds = io.redkit.formats.resp.RespParserAccess.parse(out.toByteArray());
        List<byte[]> pushed = new ArrayList<>();
        for (List<byte[]> c : cmds) {
            String name = new String(c.get(0), java.nio.charset.StandardCharsets.US_ASCII);
            if (name.equals("RPUSH")) {
                assertArrayEquals(new byte[]{'l'}, c.get(1));
                pushed.addAll(c.subList(2, c.size()));
            } else {
                assertEquals("SELECT", name);
            }
        }
        assertEquals(all.size(), pushed.size());
        for (int i = 0; i < all.size(); i++) {
            assertArrayEquals(all.get(i), pushed.get(i));
        }
    }
}
