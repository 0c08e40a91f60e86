package io.redkit.formats;

import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.SelectDb;
import io.redkit.core.event.SourceKind;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.core.sink.Sink;
import io.redkit.formats.json.JsonlSink;
import io.redkit.rdb.RdbReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.redkit.formats.Ev.elements;
import static io.redkit.formats.Ev.fields;
import static io.redkit.formats.Ev.h;
import static io.redkit.formats.Ev.key;
import static io.redkit.formats.Ev.run;
import static io.redkit.formats.Ev.string;
import static io.redkit.formats.Ev.zmembers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputFormatTest {
    private static List<Event> sample() {
        List<Event> l = new ArrayList<>();
        l.add(new Begin(SourceKind.RDB, "t", Dialect.REDIS, 10, 0));
        l.add(new SelectDb(0, 0));
        l.addAll(string(0, "s", "v"));
        l.addAll(key(h(0, "l", DataType.LIST), elements("a", "b")));
        l.addAll(key(h(0, "set", DataType.SET), elements("1", "2")));
        l.addAll(key(h(0, "h", DataType.HASH), fields("f", "v", -1)));
        l.addAll(key(h(0, "z", DataType.ZSET), zmembers("m", 2.5, "n", Double.NEGATIVE_INFINITY)));
        l.add(new End(0, false, 0));
        return l;
    }

    @Test
    void everyFormatMakesASink() throws IOException {
        for (OutputFormat f : OutputFormat.values()) {
            assertEquals(f, OutputFormat.fromId(f.id()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Sink s = f.create(out, SinkOptions.defaults());
            run(s, sample());
            assertTrue(out.size() > 0, f.id());
        }
        assertNull(OutputFormat.fromId("xml"));
    }

    @Test
    void rdbOutputReadsBackToTheSameKeys() throws IOException {
        ByteArrayOutputStream rdb = new ByteArrayOutputStream();
        run(OutputFormat.RDB.create(rdb, SinkOptions.defaults()), sample());
        assertEquals("REDIS", new String(rdb.toByteArray(), 0, 5, StandardCharsets.US_ASCII));
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        run(new JsonlSink(direct, true), sample());
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        JsonlSink sink = new JsonlSink(back, true);
        Pipeline.run(RdbReader.open(new ByteArrayInputStream(rdb.toByteArray()), "t"), KeyFilter.all(), sink);
        sink.close();
        assertEquals(direct.toString(StandardCharsets.UTF_8).replaceAll(",\"encoding\":\"[^\"]*\"", ""),
                back.toString(StandardCharsets.UTF_8).replaceAll(",\"encoding\":\"[^\"]*\"", ""));
    }
}
