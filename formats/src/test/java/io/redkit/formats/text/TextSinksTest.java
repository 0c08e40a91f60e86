package io.redkit.formats.text;

import io.redkit.core.event.Command;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.KeyHeader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.redkit.formats.Ev.b;
import static io.redkit.formats.Ev.elements;
import static io.redkit.formats.Ev.key;
import static io.redkit.formats.Ev.run;
import static io.redkit.formats.Ev.string;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TextSinksTest {
    private static List<Event> sample() {
        List<Event> l = new ArrayList<>();
        l.addAll(string(0, "a", "1"));
        l.addAll(key(new KeyHeader(12, new byte[]{(byte) 0xff, '\n'}, DataType.LIST, "quicklist2", -1, -1, -1, -1, 0),
                elements("x")));
        l.addAll(key(new KeyHeader(0, b("b"), DataType.STRING, "int", -1, -1, -1, -1, 0)));
        l.addAll(key(new KeyHeader(0, b("c"), DataType.STRING, "int", -1, -1, -1, -1, 0)));
        l.add(new FunctionLibrary(b("x"), 0));
        l.add(new Command(0, List.of(b("PING")), -1, 0));
        return l;
    }

    @Test
    void keysAreRawBytesWithOptionalDb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(new KeysSink(out, false), sample());
        assertArrayEquals(new byte[]{'a', '\n', (byte) 0xff, '\n', '\n', 'b', '\n', 'c', '\n'}, out.toByteArray());
        out.reset();
        run(new KeysSink(out, true), sample());
        assertArrayEquals(new byte[]{'0', '\t', 'a', '\n', '1', '2', '\t', (byte) 0xff, '\n', '\n', '0', '\t', 'b', '\n',
                '0', '\t', 'c', '\n'}, out.toByteArray());
    }

    @Test
    void countsAsTextAndJson() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountSink c = new CountSink(out, false);
        run(c, sample());
        assertEquals(4, c.keys());
        String nl = System.lineSeparator();
        assertEquals(String.join(nl,
                "db   type     encoding           keys",
                "0    string   -                     1",
                "0    string   int                   2",
                "12   list     quicklist2            1",
                "all                                 4",
                "function libraries: 1",
                "commands: 1", ""), out.toString(StandardCharsets.UTF_8));
        out.reset();
        run(new CountSink(out, true), sample());
        assertEquals("{\"keys\":4,\"functions\":1,\"commands\":1,\"by_db\":{\"0\":3,\"12\":1},\"by_type\":{\"list\":1,\"string\":3},"
                + "\"rows\":[{\"db\":0,\"type\":\"string\",\"encoding\":\"-\",\"keys\":1},"
                + "{\"db\":0,\"type\":\"string\",\"encoding\":\"int\",\"keys\":2},"
                + "{\"db\":12,\"type\":\"list\",\"encoding\":\"quicklist2\",\"keys\":1}]}\n", out.toString(StandardCharsets.UTF_8));
    }
}
