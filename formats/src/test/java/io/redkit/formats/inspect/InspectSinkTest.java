package io.redkit.formats.inspect;

import io.redkit.core.event.Aux;
import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.ModuleAux;
import io.redkit.core.event.SourceKind;
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
import static io.redkit.formats.Ev.h;
import static io.redkit.formats.Ev.key;
import static io.redkit.formats.Ev.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectSinkTest {
    private static final long NOW = 1_700_000_000_000L;

    private static List<Event> sample() {
        List<Event> l = new ArrayList<>();
        l.add(new Begin(SourceKind.RDB, "dump.rdb", Dialect.REDIS, 11, 0));
        l.add(new Aux(b("redis-ver"), b("7.2.4"), 0));
        l.add(new Aux(b("ctime"), b("1700000000"), 0));
        l.add(new FunctionLibrary(b("#!lua name=mylib\nredis.register_function('f', function() return 1 end)"), 0));
        l.add(new ModuleAux("testrdb", 1, 2, new byte[0], 0));
        l.addAll(key(h(0, b("user:1"), DataType.STRING, NOW - 1), new StringPart(b("x"), true, 0)));
        l.addAll(key(h(0, b("user:2"), DataType.STRING, NOW + 30_000), new StringPart(b("x".repeat(1000)), true, 0)));
        l.addAll(key(h(1, b("session:9"), DataType.LIST, NOW + 2 * 86_400_000L), elements("a", "b", "c")));
        l.addAll(key(h(1, b("cache:x"), DataType.SET, NOW + 40 * 86_400_000L), elements("1")));
        l.addAll(key(h(1, b("plainkey"), DataType.SET, -1), elements("1", "2")));
        l.add(new End(0x1234, true, 0));
        return l;
    }

    @Test
    void jsonReport() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(new InspectSink(out, SinkOptions.builder().jsonReport(true).nowMs(NOW).topN(2).maxPrefixes(3).build()), sample());
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("{\"source\":\"dump.rdb\",\"kind\":\"rdb\",\"dialect\":\"redis\",\"rdb_version\":11,"
                + "\"checksum\":\"verified\",\"aux\":{\"redis-ver\":\"7.2.4\",\"ctime\":\"1700000000\"},\"keys\":5,\"keys_with_ttl\":4,"), s);
        assertTrue(s.contains("\"ttl_histogram\":{\"expired\":1,\"<1m\":1,\"<1h\":0,\"<1d\":0,\"<7d\":1,\"<30d\":0,\">=30d\":1,\"none\":1}"), s);
        assertTrue(s.contains("\"top_by_memory\":[{\"db\":0,\"key\":\"user:2\",\"type\":\"string\",\"value\":"), s);
        assertTrue(s.contains("\"top_by_elements\":[{\"db\":1,\"key\":\"session:9\",\"type\":\"list\",\"value\":3},"
                + "{\"db\":1,\"key\":\"plainkey\",\"type\":\"set\",\"value\":2}]"), s);
        // three prefixes tracked (user, session, cache); the key without delimiter goes to "(other)"
        assertTrue(s.contains("{\"prefix\":\"user\",\"keys\":2,"), s);
        assertTrue(s.contains("{\"prefix\":\"(other)\",\"keys\":1,"), s);
        assertTrue(s.contains("\"function_libraries\":1,\"function_library_names\":[\"mylib\"],"
                + "\"module_aux\":{\"testrdb (when 2)\":1},\"commands\":0}"), s);
        assertTrue(s.contains("\"encodings\":{\"list/-\":1,\"set/-\":2,\"string/-\":2}"), s);
    }

    @Test
    void textReportIsReadable() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(new InspectSink(out, SinkOptions.builder().nowMs(NOW).build()), sample());
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("rdb version            11"), s);
        assertTrue(s.contains("redis-ver              7.2.4"), s);
        assertTrue(s.contains("ctime                  1700000000 (2023-11-14T22:13:20Z)"), s);
        assertTrue(s.contains("== ttl histogram"), s);
        assertTrue(s.contains("(no prefix)"), s);
        assertTrue(s.contains("function libraries     1 [mylib]"), s);
    }

    @Test
    void incompleteInputSaysSo() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(new InspectSink(out, SinkOptions.builder().jsonReport(true).build()), List.of());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"checksum\":\"not reached (input incomplete)\""));
    }
}
