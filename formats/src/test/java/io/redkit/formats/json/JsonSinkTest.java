package io.redkit.formats.json;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.StringPart;
import io.redkit.formats.SinkOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonSinkTest {
    private static List<Event> sample() {
        List<Event> l = new ArrayList<>();
        l.addAll(string(0, "s", "v"));
        l.addAll(key(h(0, "l", DataType.LIST), elements("a", "b")));
        l.addAll(key(h(0, "h", DataType.HASH), fields("f", "v", -1)));
        l.addAll(key(h(2, "z", DataType.ZSET), zmembers("m", 1.5, "i", Double.POSITIVE_INFINITY)));
        l.addAll(key(h(2, new byte[]{(byte) 0xe9}, DataType.SET, -1), elements("x")));
        l.addAll(key(h(2, "big", DataType.STRING), new StringPart(b("ab"), false, 0),
                new StringPart(new byte[]{(byte) 0xff}, true, 0)));
        return l;
    }

    private static String json(SinkOptions o, List<Event> ev) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(new JsonSink(out, o), ev);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultLayoutIsAnArrayOfJsonlObjects() throws IOException {
        assertEquals("[\n{\"db\":0,\"key\":\"s\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"v\"},\n"
                + "{\"db\":0,\"key\":\"l\",\"type\":\"list\",\"expire_ms\":null,\"value\":[\"a\",\"b\"]}\n]\n",
                json(SinkOptions.defaults(), new ArrayList<>(sample().subList(0, 6))));
        assertEquals("[]\n", json(SinkOptions.defaults(), List.of()));
        String sorted = json(SinkOptions.builder().sorted(true).build(), sample().subList(0, 6));
        assertEquals("[\n{\"db\":0,\"key\":\"l\",\"type\":\"list\",\"expire_ms\":null,\"value\":[\"a\",\"b\"]},\n"
                + "{\"db\":0,\"key\":\"s\",\"type\":\"string\",\"expire_ms\":null,\"value\":\"v\"}\n]\n", sorted);
    }

    @Test
    void rdbToolsLayout() throws IOException {
        String out = json(SinkOptions.builder().compat("rdb-tools").build(), sample());
        assertEquals("[{\"s\":\"v\",\"l\":[\"a\",\"b\"],\"h\":{\"f\":\"v\"}},"
                + "{\"z\":{\"m\":1.5,\"i\":\"inf\"},\"\u00e9\":[\"x\"],\"big\":\"ab\\u00FF\"}]\n", out);
        assertEquals("[]\n", json(SinkOptions.builder().compat("rdb-tools").build(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new JsonSink(new ByteArrayOutputStream(), SinkOptions.builder().compat("nope").build()));
    }
}
