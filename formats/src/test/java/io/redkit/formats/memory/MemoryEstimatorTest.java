package io.redkit.formats.memory;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StringPart;
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
import static io.redkit.formats.Ev.zmembers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryEstimatorTest {
    private static MemoryEstimator estimate(List<Event> ev) {
        MemoryEstimator m = new MemoryEstimator();
        for (Event e : ev) {
            if (e.kind() == EventKind.KEY_START) {
                m.begin(((KeyStart) e).header());
            } else if (e.kind() == EventKind.KEY_END) {
                m.end();
            } else {
                m.accept(e);
            }
        }
        return m;
    }

    @Test
    void jemallocSizeClasses() {
        assertEquals(8, MemoryEstimator.jemalloc(1));
        assertEquals(16, MemoryEstimator.jemalloc(9));
        assertEquals(32, MemoryEstimator.jemalloc(24));
        assertEquals(128, MemoryEstimator.jemalloc(128));
        assertEquals(160, MemoryEstimator.jemalloc(129));
        assertEquals(192, MemoryEstimator.jemalloc(161));
        assertEquals(320, MemoryEstimator.jemalloc(257));
        assertEquals(5120, MemoryEstimator.jemalloc(4097));
        assertEquals(8192, MemoryEstimator.jemalloc(8192));
        assertEquals(10240, MemoryEstimator.jemalloc(8193));
    }

    @Test
    void sdsAndListpackEntries() {
        assertEquals(8, MemoryEstimator.sdsAlloc(5));      // hdr5: 1 + 5 + 1
        assertEquals(48, MemoryEstimator.sdsAlloc(40));    // hdr8: 3 + 40 + 1 = 44
        assertEquals(2, MemoryEstimator.listpackEntry(b("7")));        // 7-bit uint
        assertEquals(3, MemoryEstimator.listpackEntry(b("-100")));     // 13-bit int
        assertEquals(10, MemoryEstimator.listpackEntry(b("12345678901")));
        assertEquals(7, MemoryEstimator.listpackEntry(b("hello")));    // 1 + 5 + backlen 1
        assertEquals(7, MemoryEstimator.listpackEntry(b("007")) + 2); // "007" is not canonical: a string
        assertEquals(100 + 2 + 1, MemoryEstimator.listpackEntry(new byte[100]));
    }

    @Test
    void smallKeysMatchRedisLayout() {
        // 16-byte key, 8-byte value: dictEntry 32 + bucket 8 + key sds 32 + embstr 32 = 104 (Redis used_memory/keys)
        MemoryEstimator m = estimate(key(h(0, "key:000000000001", DataType.STRING), new StringPart(b("val-0001"), true, 0)));
        assertEquals(104, m.sizeInBytes());
        assertEquals("embstr", m.encoding());
        assertEquals("int", estimate(key(h(0, "k", DataType.STRING), new StringPart(b("-12"), true, 0))).encoding());
        assertEquals("raw", estimate(key(h(0, "k", DataType.STRING), new StringPart(new byte[45], true, 0))).encoding());
        MemoryEstimator ttl = estimate(key(h(0, b("key:000000000001"), DataType.STRING, 5), new StringPart(b("val-0001"), true, 0)));
        assertEquals(104 + 40, ttl.sizeInBytes());
    }

    @Test
    void encodingsFollowRedisThresholds() {
        List<String> ints = new ArrayList<>();
        List<String> strs = new ArrayList<>();
        List<Object> fv = new ArrayList<>();
        List<Object> zs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ints.add(Integer.toString(i * 1000));
            strs.add("m" + i);
            fv.add("f" + i);
            fv.add("v");
            fv.add(-1);
            zs.add("m" + i);
            zs.add(i);
        }
        assertEquals("intset", estimate(key(h(0, "s", DataType.SET), elements(ints.toArray(new String[0])))).encoding());
        MemoryEstimator set = estimate(key(h(0, "s", DataType.SET), elements(strs.toArray(new String[0]))));
        assertEquals("hashtable", set.encoding());
        assertEquals(200, set.numElements());
        assertEquals(4, set.largestElementLength());
        assertEquals("listpack", estimate(key(h(0, "h", DataType.HASH), fields(fv.subList(0, 300).toArray()))).encoding());
        assertEquals("hashtable", estimate(key(h(0, "h", DataType.HASH), fields(fv.toArray()))).encoding());
        assertEquals("hashtable", estimate(key(h(0, "h", DataType.HASH),
                fields("f", "x".repeat(65), -1))).encoding());
        assertEquals("listpack", estimate(key(h(0, "z", DataType.ZSET), zmembers(zs.subList(0, 20).toArray()))).encoding());
        MemoryEstimator z = estimate(key(h(0, "z", DataType.ZSET), zmembers(zs.toArray())));
        assertEquals("skiplist", z.encoding());
        assertTrue(z.sizeInBytes() > 200 * (32 + 8 + 48), "skiplist costs entry, sds and node per member");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add("item-number-" + i);
        }
        MemoryEstimator list = estimate(key(h(0, "l", DataType.LIST), elements(many.toArray(new String[0]))));
        assertEquals("quicklist", list.encoding());
        // measured on redis-server 7.0.15 for the same list (MEMORY USAGE after a restart): 90640
        assertTrue(Math.abs(list.sizeInBytes() - 90640) < 90640 * 0.03, "got " + list.sizeInBytes());
    }

    @Test
    void csvRowsQuoteKeysAndFormatExpiry() throws IOException {
        List<Event> ev = new ArrayList<>();
        ev.addAll(key(h(3, b("a,\"b\""), DataType.ZSET, 4102444800123L), zmembers("m", 1)));
        ev.addAll(key(h(0, b("plain"), DataType.STRING, 4102444800000L), new StringPart(b("v"), true, 0)));
        ev.addAll(key(new KeyHeader(0, new byte[]{(byte) 0xff}, DataType.LIST, null, -1, -1, -1, -1, 0), elements("x")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(new MemorySink(out), ev);
        String[] lines = out.toString(StandardCharsets.ISO_8859_1).split("\n");
        assertEquals(MemorySink.HEADER, lines[0]);
        assertTrue(lines[1].startsWith("3,sortedset,\"a,\"\"b\"\"\","), lines[1]);
        assertTrue(lines[1].endsWith(",listpack,1,1,2100-01-01T00:00:00.123000"), lines[1]);
        assertTrue(lines[2].matches("0,string,plain,\\d+,embstr,1,1,2100-01-01T00:00:00"), lines[2]);
        assertTrue(lines[3].matches("0,list,\u00ff,\\d+,quicklist,1,1,"), lines[3]);
        assertEquals(4, lines.length);
    }
}
