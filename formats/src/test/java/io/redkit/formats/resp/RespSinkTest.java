package io.redkit.formats.resp;

import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StringPart;
import io.redkit.rdb.encoding.Crc64;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.redkit.formats.Ev.b;
import static io.redkit.formats.Ev.elements;
import static io.redkit.formats.Ev.fields;
import static io.redkit.formats.Ev.h;
import static io.redkit.formats.Ev.key;
import static io.redkit.formats.Ev.run;
import static io.redkit.formats.Ev.string;
import static io.redkit.formats.Ev.zmembers;
import static io.redkit.formats.resp.RespParser.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RespSinkTest {
    private static List<List<byte[]>> resp(RespSink sink, ByteArrayOutputStream out, List<Event> ev) throws IOException {
        run(sink, ev);
        return RespParser.parse(out.toByteArray());
    }

    private static List<String> cmd(String... s) {
        return Arrays.asList(s);
    }

    @Test
    void smallKeysOfEveryKind() throws IOException {
        List<Event> ev = new ArrayList<>();
        ev.add(new FunctionLibrary(b("#!lua name=l\nreturn 1"), 0));
        ev.addAll(string(0, "s", "v"));
        ev.addAll(key(h(0, b("l"), DataType.LIST, 1700000000000L), elements("a", "b")));
        ev.addAll(key(h(1, "set", DataType.SET), elements("x")));
        ev.addAll(key(h(1, "h", DataType.HASH), fields("f1", "v1", 4102444800000L, "f2", "v2", -1)));
        ev.addAll(key(h(1, "z", DataType.ZSET), zmembers("a", Double.POSITIVE_INFINITY, "b", Double.NEGATIVE_INFINITY,
                "c", 0.1, "d", 3.0, "e", 1.7976931348623157e308)));
        ev.addAll(key(h(1, "empty", DataType.LIST)));
        ev.add(new Command(1, List.of(b("INCR"), b("n")), -1, 0));
        ev.add(new Command(4, List.of(b("DEL"), b("n")), -1, 0));
        ev.add(new Command(4, List.of(b("select"), b("6")), -1, 0));
        ev.add(new Command(6, List.of(b("DEL"), b("m")), -1, 0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RespSink sink = new RespSink(out);
        List<List<String>> got = new ArrayList<>();
        for (List<byte[]> c : resp(sink, out, ev)) {
            got.add(strings(c));
        }
        assertEquals(List.of(
                cmd("FUNCTION", "LOAD", "REPLACE", "#!lua name=l\nreturn 1"),
                cmd("SELECT", "0"),
                cmd("SET", "s", "v"),
                cmd("RPUSH", "l", "a", "b"),
                cmd("PEXPIREAT", "l", "1700000000000"),
                cmd("SELECT", "1"),
                cmd("SADD", "set", "x"),
                cmd("HSET", "h", "f1", "v1", "f2", "v2"),
                cmd("HPEXPIREAT", "h", "4102444800000", "FIELDS", "1", "f1"),
                cmd("ZADD", "z", "inf", "a", "-inf", "b", "0.1", "c", "3", "d", "1.7976931348623157E308", "e"),
                cmd("INCR", "n"),
                cmd("SELECT", "4"),
                cmd("DEL", "n"),
                cmd("select", "6"),
                cmd("DEL", "m")), got);
        assertEquals(5, sink.keysWritten());
        // every score text reads back as the same double
        assertEquals(1.7976931348623157e308, Double.parseDouble("1.7976931348623157E308"));
    }

    @Test
    void bigValuesAreSplitIntoBoundedCommands() throws IOException {
        byte[] part1 = new byte[RespSink.MAX_COMMAND_BYTES + 100];
        Arrays.fill(part1, (byte) 'a');
        byte[] part2 = {(byte) 0xff, 0, '\r', '\n'};
        KeyHeader sh = h(0, new byte[]{0, (byte) 0x80}, DataType.STRING, -1);
        List<Event> ev = new ArrayList<>(key(sh, new StringPart(part1, false, 0), new StringPart(part2, true, 0)));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            items.add("e" + i);
        }
        ev.addAll(key(h(0, "list", DataType.LIST), elements(items.subList(0, 1200).toArray(new String[0])),
                elements(items.subList(1200, 2500).toArray(new String[0]))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<List<byte[]>> cmds = resp(new RespSink(out), out, ev);
        assertEquals("SELECT", new String(cmds.get(0).get(0)));
        assertEquals(List.of("SET", "APPEND", "APPEND"), List.of(new String(cmds.get(1).get(0)),
                new String(cmds.get(2).get(0)), new String(cmds.get(3).get(0))));
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (int i = 1; i <= 3; i++) {
            assertArrayEquals(new byte[]{0, (byte) 0x80}, cmds.get(i).get(1));
            value.write(cmds.get(i).get(2));
        }
        byte[] whole = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, whole, 0, part1.length);
        System.arraycopy(part2, 0, whole, part1.length, part2.length);
        assertArrayEquals(whole, value.toByteArray());
        List<String> pushed = new ArrayList<>();
        for (List<byte[]> c : cmds.subList(4, cmds.size())) {
            assertEquals("RPUSH", new String(c.get(0)));
            assertEquals(true, c.size() - 2 <= RespSink.MAX_ELEMENTS);
            for (byte[] x : c.subList(2, c.size())) {
                pushed.add(new String(x));
            }
        }
        assertEquals(3, cmds.size() - 4);
        assertEquals(items, pushed);
    }

    @Test
    void streamWithGroups() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<List<String>> got = new ArrayList<>();
        for (List<byte[]> c : resp(new RespSink(out), out, io.redkit.formats.Ev.stream(0, "st"))) {
            got.add(strings(c));
        }
        assertEquals(List.of(
                cmd("SELECT", "0"),
                cmd("XADD", "st", "1-0", "f", "v1"),
                cmd("XADD", "st", "2-5", "f", "v2", "g", "x"),
                cmd("XSETID", "st", "3-0", "ENTRIESADDED", "4", "MAXDELETEDID", "1-9"),
                cmd("XGROUP", "CREATE", "st", "g2", "2-5", "ENTRIESREAD", "2"),
                cmd("XGROUP", "CREATECONSUMER", "st", "g2", "bob"),
                cmd("XCLAIM", "st", "g2", "bob", "0", "1-0", "TIME", "1700000000000", "RETRYCOUNT", "3", "FORCE", "JUSTID"),
                cmd("XGROUP", "CREATECONSUMER", "st", "g2", "alice"),
                cmd("XGROUP", "CREATE", "st", "g1", "0-0")), got);
    }

    @Test
    void moduleValuesNeedTheRawPayload() throws IOException {
        KeyHeader m1 = h(2, b("m1"), DataType.MODULE, 4102444800000L);
        KeyHeader m2 = h(2, b("m2"), DataType.MODULE, -1);
        byte[] raw = {7, 1, 2, 3};
        List<Event> ev = List.of(
                new Begin(SourceKind.RDB, "x.rdb", Dialect.REDIS, 11, 0),
                new KeyStart(m1), new ModuleValue("hellotype", 5, new byte[]{1}, 0), new KeyEnd(m1, raw, 0),
                new KeyStart(m2), new ModuleValue("hellotype", 5, new byte[]{1}, 0), new KeyEnd(m2, null, 0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RespSink sink = new RespSink(out);
        List<List<byte[]>> cmds = resp(sink, out, ev);
        assertEquals(2, cmds.size());
        List<String> restore = strings(cmds.get(1));
        assertEquals(List.of("RESTORE", "m1", "4102444800000"), restore.subList(0, 3));
        assertEquals("ABSTTL", restore.get(4));
        byte[] payload = cmds.get(1).get(3);
        assertEquals(raw.length + 10, payload.length);
        assertArrayEquals(raw, Arrays.copyOf(payload, raw.length));
        assertEquals(11, payload[raw.length]);
        assertEquals(0, payload[raw.length + 1]);
        long crc = Crc64.update(0, payload, 0, raw.length + 2);
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (crc >>> (8 * i)), payload[raw.length + 2 + i]);
        }
        assertEquals(1, sink.skippedKeys());
    }

    @Test
    void writerEncodesNumbersAndLargeBulks() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RespWriter w = new RespWriter(out);
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'x');
        w.arrayHeader(5);
        w.bulkLong(Long.MIN_VALUE);
        w.bulkLong(0);
        w.bulkLong(-42);
        w.bulk(big);
        w.bulkAscii("ok");
        w.flush();
        List<String> c = strings(RespParser.parse(out.toByteArray()).get(0));
        assertEquals(List.of(Long.toString(Long.MIN_VALUE), "0", "-42", new String(big), "ok"), c);
        assertEquals(out.size(), w.bytesWritten());
    }
}
