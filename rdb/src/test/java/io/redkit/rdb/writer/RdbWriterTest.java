package io.redkit.rdb.writer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.Bytes;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Elements;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StringPart;
import io.redkit.rdb.encoding.Crc64;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RdbWriterTest {
    @TempDir
    Path tmp;

    static KeyHeader header(int db, String key, DataType type, long expireMs, long sizeHint) {
        return new KeyHeader(db, Bytes.of(key), type, null, expireMs, -1, -1, sizeHint, -1);
    }

    static List<Event> stringKey(int db, String key, String value, long expireMs) {
        KeyHeader h = header(db, key, DataType.STRING, expireMs, -1);
        return List.of(new KeyStart(h), new StringPart(Bytes.of(value), true, -1), new KeyEnd(h, null, -1));
    }

    static byte[] write(RdbWriter.Options opts, List<Event> events) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (RdbWriter w = new RdbWriter(bo, opts)) {
            w.accept(new Begin(SourceKind.RDB, "test", Dialect.REDIS, opts.version(), 0));
            for (Event e : events) {
                w.accept(e);
            }
            w.accept(new End(0, false, -1));
        }
        return bo.toByteArray();
    }

    static RdbWriter.Options plain(int version) {
        return RdbWriter.Options.builder().version(version).writeAux(false).build();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            bo.writeBytes(p);
        }
        return bo.toByteArray();
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** Checks the trailer: EOF then the CRC64 of everything before it, LE; returns the body before EOF. */
    static byte[] checkTrailer(byte[] file) {
        int n = file.length;
        assertEquals((byte) 0xFF, file[n - 9], "EOF opcode");
        long stored = 0;
        for (int i = 0; i < 8; i++) {
            stored |= (file[n - 8 + i] & 0xFFL) << (8 * i);
        }
        assertEquals(Crc64.update(0, file, 0, n - 8), stored, "CRC64 trailer");
        return Arrays.copyOf(file, n - 9);
    }

    @Test
    void tinyFileByteForByte() throws IOException {
        byte[] file = write(plain(9), stringKey(0, "k", "v", -1));
        byte[] body = concat(Bytes.of("REDIS0009"),
                bytes(0xFE, 0x00),          // SELECTDB 0
                bytes(0x00),                // type STRING
                bytes(0x01, 'k'),           // key, len 1
                bytes(0x01, 'v'));          // value, len 1
        byte[] expected = concat(body, bytes(0xFF), le64(Crc64.of(concat(body, bytes(0xFF)))));
        assertArrayEquals(expected, file);
        checkTrailer(file);
    }

    @Test
    void expiryIntegerStringsAndSelectDb() throws IOException {
        List<Event> ev = new ArrayList<>(stringKey(3, "a", "-5", 1_700_000_000_123L));
        ev.addAll(stringKey(3, "b", "1000", -1));
        ev.addAll(stringKey(3, "c", "100000", -1));
        ev.addAll(stringKey(3, "d", "0123", -1));
        byte[] body = checkTrailer(write(plain(10), ev));
        byte[] expected = concat(Bytes.of("REDIS0010"),
                bytes(0xFE, 0x03),                                   // SELECTDB 3, once
                bytes(0xFC), le64(1_700_000_000_123L),               // EXPIRETIME_MS
                bytes(0x00, 0x01, 'a', 0xC0, 0xFB),                  // INT8 -5
                bytes(0x00, 0x01, 'b', 0xC1, 0xE8, 0x03),            // INT16 1000
                bytes(0x00, 0x01, 'c', 0xC2, 0xA0, 0x86, 0x01, 0x00),// INT32 100000
                bytes(0x00, 0x01, 'd', 0x04), Bytes.of("0123"));     // not canonical: raw
        assertArrayEquals(expected, body);
    }

    @Test
    void lzfOnlyWhenItPays() throws IOException {
        String rep = "a".repeat(100);
        String rnd = "qwertyuiopasdfghjklz";            // 20 bytes: never compressed
        byte[] body = checkTrailer(write(plain(11), concatLists(stringKey(0, "x", rep, -1), stringKey(0, "y", rnd, -1))));
        int i = indexOf(body, bytes(0x00, 0x01, 'x'));
        assertEquals((byte) 0xC3, body[i + 3], "LZF marker");
        int j = indexOf(body, bytes(0x00, 0x01, 'y'));
        assertEquals(20, body[j + 3]);
        byte[] off = checkTrailer(write(RdbWriter.Options.builder().writeAux(false).compress(false).build(),
                stringKey(0, "x", rep, -1)));
        int k = indexOf(off, bytes(0x00, 0x01, 'x')) + 3;
        assertArrayEquals(bytes(0x40, 100), Arrays.copyOfRange(off, k, k + 2));
    }

    @Test
    void lengthEncodings() throws IOException {
        for (int len : new int[] {63, 64, 16383, 16384}) {
            byte[] v = new byte[len];
            new java.util.Random(len).nextBytes(v);
            KeyHeader h = header(0, "s", DataType.STRING, -1, -1);
            byte[] body = checkTrailer(write(RdbWriter.Options.builder().writeAux(false).compress(false).build(),
                    List.of(new KeyStart(h), new StringPart(v, true, -1), new KeyEnd(h, null, -1))));
            int p = indexOf(body, bytes(0x00, 0x01, 's')) + 3;
            if (len < 64) {
                assertEquals(len, body[p]);
            } else if (len < 16384) {
                assertEquals(0x40 | (len >> 8), body[p] & 0xFF);
                assertEquals(len & 0xFF, body[p + 1] & 0xFF);
            } else {
                assertArrayEquals(bytes(0x80, 0, 0, len >> 8 & 0xFF, len & 0xFF), Arrays.copyOfRange(body, p, p + 5));
            }
        }
    }

    @Test
    void ownAuxFieldsReplaceTheSourceOnes() throws IOException {
        List<Event> ev = List.of(new io.redkit.core.event.Aux(Bytes.of("redis-ver"), Bytes.of("6.0.0"), -1),
                new io.redkit.core.event.Aux(Bytes.of("custom"), Bytes.of("x"), -1));
        byte[] body = checkTrailer(write(RdbWriter.Options.defaults(), ev));
        String s = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(s.startsWith("REDIS0012\u00fa\u0009redis-ver\u00057.4.1"), s);
        assertFalse(s.contains("6.0.0"));
        assertTrue(s.contains("\u0006custom\u0001x"));
        assertTrue(s.contains("aof-base"));
    }

    @Test
    void streamedStringUsesTheSizeHint() throws IOException {
        byte[] part = new byte[1000];
        Arrays.fill(part, (byte) 'z');
        KeyHeader h = header(0, "big", DataType.STRING, -1, 3000);
        List<Event> ev = List.of(new KeyStart(h), new StringPart(part, false, -1), new StringPart(part, false, -1),
                new StringPart(part, true, -1), new KeyEnd(h, null, -1));
        byte[] body = checkTrailer(write(plain(12), ev));
        int p = indexOf(body, bytes(0x00, 0x03, 'b', 'i', 'g')) + 5;
        assertArrayEquals(bytes(0x4B, 0xB8), Arrays.copyOfRange(body, p, p + 2)); // 3000 as 14-bit len, raw
        assertEquals(p + 2 + 3000, body.length);

        KeyHeader bad = header(0, "big", DataType.STRING, -1, 1500);
        RedkitException e = assertThrows(RedkitException.class, () -> write(plain(12),
                List.of(new KeyStart(bad), new StringPart(part, false, -1), new StringPart(part, true, -1),
                        new KeyEnd(bad, null, -1))));
        assertEquals(ErrorKind.INTEGRITY, e.kind());
    }

    @Test
    void bigValuesSpillAndTempFilesAreDeleted() throws IOException {
        Path spillDir = Files.createDirectory(tmp.resolve("spill"));
        RdbWriter.Options o = RdbWriter.Options.builder().writeAux(false).spillThreshold(4096).tempDir(spillDir).build();
        KeyHeader h = header(0, "list", DataType.LIST, -1, -1);
        KeyHeader s = header(0, "str", DataType.STRING, -1, -1);
        List<Event> ev = new ArrayList<>();
        ev.add(new KeyStart(h));
        for (int c = 0; c < 20; c++) {
            List<byte[]> items = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                items.add(Bytes.of("element-" + (c * 1000 + i)));
            }
            ev.add(new Elements(items, -1));
        }
        ev.add(new KeyEnd(h, null, -1));
        ev.add(new KeyStart(s));
        for (int c = 0; c < 10; c++) {
            ev.add(new StringPart(new byte[1000], c == 9, -1));
        }
        ev.add(new KeyEnd(s, null, -1));
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (RdbWriter w = new RdbWriter(bo, o)) {
            for (Event e : ev) {
                w.accept(e);
                if (e instanceof Elements && Arrays.equals(((Elements) e).items().get(0), Bytes.of("element-19000"))) {
                    try (Stream<Path> files = Files.list(spillDir)) {
                        assertEquals(1, files.count(), "the list spilled");
                    }
                }
            }
            w.accept(new End(0, false, -1));
        }
        try (Stream<Path> files = Files.list(spillDir)) {
            assertEquals(0, files.count(), "spill files deleted");
        }
        byte[] body = checkTrailer(bo.toByteArray());
        int p = indexOf(body, concat(bytes(18, 4), Bytes.of("list")));
        assertTrue(p > 0, "quicklist2");
    }

    @Test
    void versionLimitsAreClearErrors() {
        KeyHeader h = header(0, "h", DataType.HASH, -1, -1);
        List<Event> ttl = List.of(new KeyStart(h),
                new HashFields(List.of(new HashField(Bytes.of("f"), Bytes.of("v"), 1_800_000_000_000L)), -1),
                new KeyEnd(h, null, -1));
        RedkitException e = assertThrows(RedkitException.class, () -> write(plain(11), ttl));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("'h'") && e.getMessage().contains("RDB 12") && e.getMessage().contains("RDB 11"),
                e.getMessage());

        KeyHeader st = header(0, "st", DataType.STREAM, -1, -1);
        e = assertThrows(RedkitException.class, () -> write(plain(8), List.of(new KeyStart(st),
                new StreamEntries(List.of(new StreamEntry(new StreamId(1, 1), List.of(Bytes.of("a"), Bytes.of("b")))), -1),
                new KeyEnd(st, null, -1))));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("'st'"), e.getMessage());

        e = assertThrows(RedkitException.class, () -> write(plain(9),
                List.of(new FunctionLibrary(Bytes.of("#!lua name=x\n"), -1))));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());

        assertThrows(IllegalArgumentException.class, () -> RdbWriter.Options.builder().version(14).build());
        assertEquals(12, RdbWriter.Options.builder().build().version(), "RDB 13 only when asked for");
        assertThrows(IllegalArgumentException.class, () -> RdbWriter.Options.builder().version(6).build());
    }

    @Test
    void rdb13StreamIsType26WithTheDefaultIdmpTrailer() throws IOException {
        KeyHeader st = header(0, "st", DataType.STREAM, -1, -1);
        byte[] body = checkTrailer(write(plain(13), List.of(new KeyStart(st),
                new StreamEntries(List.of(new StreamEntry(new StreamId(1, 1), List.of(Bytes.of("a"), Bytes.of("b")))), -1),
                new KeyEnd(st, null, -1))));
        assertArrayEquals(concat(Bytes.of("REDIS0013"), bytes(0xFE, 0, 26, 2, 's', 't')), Arrays.copyOf(body, 15));
        // ... 0 groups, then duration 100, max entries 100 (14-bit lens), 0 producers, 0 added, 0 duplicates
        assertArrayEquals(bytes(0, 0x40, 100, 0x40, 100, 0, 0, 0), Arrays.copyOfRange(body, body.length - 8, body.length));
    }

    @Test
    void anUnsupportedKeyCanBeSkippedAndTheFileStaysValid() throws IOException {
        KeyHeader h = header(0, "h", DataType.HASH, -1, -1);
        ByteArrayOutputStream bo2 = new ByteArrayOutputStream();
        try (RdbWriter w = new RdbWriter(bo2, plain(11))) {
            w.accept(new KeyStart(h));
            RedkitException e = assertThrows(RedkitException.class, () -> w.accept(new HashFields(
                    List.of(new HashField(Bytes.of("f"), Bytes.of("v"), 1_800_000_000_000L)), -1)));
            assertEquals(ErrorKind.UNSUPPORTED, e.kind());
            w.accept(new HashFields(List.of(new HashField(Bytes.of("g"), Bytes.of("w"), -1)), -1)); // ignored
            w.accept(new KeyEnd(h, null, -1));
            for (Event ev : stringKey(0, "k", "v", -1)) {
                w.accept(ev);
            }
            w.accept(new End(0, false, -1));
        }
        byte[] body = checkTrailer(bo2.toByteArray());
        assertArrayEquals(concat(Bytes.of("REDIS0011"), bytes(0xFE, 0, 0, 1, 'k', 1, 'v')), body);
    }

    @Test
    void emptyCollectionsAreNotWritten() throws IOException {
        KeyHeader h = header(0, "empty", DataType.SET, -1, -1);
        byte[] body = checkTrailer(write(plain(12), List.of(new KeyStart(h), new Elements(List.of(), -1),
                new KeyEnd(h, null, -1))));
        assertEquals(-1, indexOf(body, Bytes.of("empty")));
    }

    @Test
    void dumpPayloadOfAString() throws IOException {
        byte[] p = RdbWriter.dumpPayload(stringKey(0, "k", "hello", -1), 10);
        byte[] body = concat(bytes(0x00, 0x05), Bytes.of("hello"), bytes(10, 0));
        assertArrayEquals(concat(body, le64(Crc64.of(body))), p);
    }

    @Test
    void dumpPayloadOfASmallSetIsAnIntset() throws IOException {
        KeyHeader h = header(0, "s", DataType.SET, -1, -1);
        byte[] p = DumpPayload.build(List.of(new KeyStart(h),
                new Elements(List.of(Bytes.of("3"), Bytes.of("1"), Bytes.of("2")), -1), new KeyEnd(h, null, -1)), 9);
        byte[] body = concat(bytes(11, 14, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0), bytes(9, 0));
        assertArrayEquals(concat(body, le64(Crc64.of(body))), p);
    }

    @Test
    void incompleteWriteHasNoTrailer() throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (RdbWriter w = new RdbWriter(bo, plain(12))) {
            for (Event e : stringKey(0, "k", "v", -1)) {
                w.accept(e);
            }
            assertFalse(w.isComplete());
        }
        byte[] b = bo.toByteArray();
        assertEquals('v', b[b.length - 1]);
    }

    @Test
    void atomicFileOutput() throws IOException {
        Path target = tmp.resolve("out.rdb");
        try (AtomicFileOutput o = AtomicFileOutput.open(target, false)) {
            o.write(Bytes.of("abc"));
            assertFalse(Files.exists(target), "not visible before commit");
            o.commit();
        }
        assertArrayEquals(Bytes.of("abc"), Files.readAllBytes(target));
        assertThrows(FileAlreadyExistsException.class, () -> AtomicFileOutput.open(target, false));
        try (AtomicFileOutput o = AtomicFileOutput.open(target, true)) {
            o.write(Bytes.of("partial"));
            // no commit: an error happened
        }
        assertArrayEquals(Bytes.of("abc"), Files.readAllBytes(target), "target untouched without commit");
        try (OutputStream o = AtomicFileOutput.open(target, true)) {
            o.write(Bytes.of("new"));
            ((AtomicFileOutput) o).commit();
        }
        assertArrayEquals(Bytes.of("new"), Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temp files left");
        }
    }

    static List<Event> concatLists(List<Event> a, List<Event> b) {
        List<Event> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
