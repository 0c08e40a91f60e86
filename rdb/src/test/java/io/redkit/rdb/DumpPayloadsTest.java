package io.redkit.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redkit.core.ErrorKind;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.SelectDb;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.writer.DumpPayload;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

class DumpPayloadsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] listPayload(int version) throws IOException {
        KeyHeader h = new KeyHeader(0, b("l"), DataType.LIST, null, -1, -1, -1, -1, -1);
        return DumpPayload.build(List.of(new KeyStart(h), new Elements(List.of(b("a"), b("bb"), b("123")), -1),
                new KeyEnd(h, null, -1)), version);
    }

    @Test
    void aPayloadReadsAsItsKeyWithTheGivenDbAndExpiry() throws IOException {
        byte[] p = listPayload(10);
        assertEquals(10, DumpPayloads.version(p));
        List<Event> events = new ArrayList<>();
        try (EventSource src = DumpPayloads.read(p, b("key:1"), 3, 1_700_000_000_123L, 12, "test", Limits.defaults())) {
            for (Event e = src.next(); e != null; e = src.next()) {
                events.add(e);
            }
        }
        assertEquals(3, ((SelectDb) events.get(1)).db());
        KeyHeader h = ((KeyStart) events.get(2)).header();
        assertEquals(3, h.db());
        assertArrayEquals(b("key:1"), h.key());
        assertEquals(DataType.LIST, h.type());
        assertEquals(1_700_000_000_123L, h.expireAtMs());
        List<byte[]> items = new ArrayList<>();
        for (Event e : events) {
            if (e instanceof Elements el) {
                items.addAll(el.items());
            }
        }
        assertEquals(List.of("a", "bb", "123"), items.stream().map(x -> new String(x, StandardCharsets.UTF_8)).toList());
        assertInstanceOf(KeyEnd.class, events.get(events.size() - 2));
    }

    @Test
    void dbZeroAndNoExpiryNeedNoOpcodes() throws IOException {
        try (EventSource src = DumpPayloads.read(listPayload(10), b("k"), 0, -1, 12, "test", Limits.defaults())) {
            src.next(); // Begin
            KeyHeader h = ((KeyStart) src.next()).header();
            assertEquals(0, h.db());
            assertEquals(-1, h.expireAtMs());
            src.skipValue();
            assertInstanceOf(KeyEnd.class, src.next());
            src.next(); // End
            assertNull(src.next());
        }
    }

    @Test
    void aFlippedByteIsAChecksumError() throws IOException {
        byte[] p = listPayload(10);
        p[3] ^= 1;
        RedkitException e = assertThrows(RedkitException.class,
                () -> DumpPayloads.read(p, b("k"), 0, -1, 12, "test", Limits.defaults()));
        assertEquals(ErrorKind.CHECKSUM, e.kind());
        assertEquals(p.length - 8, e.offset());
    }

    @Test
    void aNewerVersionThanAllowedIsRefused() throws IOException {
        byte[] p = listPayload(12);
        RedkitException e = assertThrows(RedkitException.class,
                () -> DumpPayloads.read(p, b("k"), 0, -1, 10, "test", Limits.defaults()));
        assertEquals(ErrorKind.BAD_VERSION, e.kind());
    }

    @Test
    void aPayloadShorterThanItsFooterIsTruncated() {
        RedkitException e = assertThrows(RedkitException.class,
                () -> DumpPayloads.read(new byte[10], b("k"), 0, -1, 12, "test", Limits.defaults()));
        assertEquals(ErrorKind.TRUNCATED, e.kind());
        assertEquals(-1, DumpPayloads.version(new byte[10]));
    }

    @Test
    void keyPrefixLayout() {
        // SELECTDB 0x40|... for db 100 takes the 14-bit form; expiry 8 bytes little-endian; type; key length; key
        byte[] p = DumpPayloads.keyPrefix(100, 0x0102030405060708L, 0, b("ab"));
        assertArrayEquals(new byte[] {(byte) 0xfe, 0x40, 100, (byte) 0xfc, 8, 7, 6, 5, 4, 3, 2, 1, 0, 2, 'a', 'b'}, p);
        assertArrayEquals(b("REDIS0010"), DumpPayloads.header(10));
        assertArrayEquals(b("VALKEY080"), DumpPayloads.header(80));
    }
}
