package io.redkit.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BytesTest {
    @Test
    void utf8Validation() {
        assertTrue(Bytes.isUtf8("plain".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Bytes.isUtf8("héllo wörld ✓ 𝄞".getBytes(StandardCharsets.UTF_8)));
        assertFalse(Bytes.isUtf8(new byte[] {(byte) 0xC0, (byte) 0x80}), "overlong NUL");
        assertFalse(Bytes.isUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "surrogate");
        assertFalse(Bytes.isUtf8(new byte[] {(byte) 0xE2, (byte) 0x9C}), "cut sequence");
        assertFalse(Bytes.isUtf8(new byte[] {(byte) 0xFF}));
    }

    @Property(tries = 2000)
    void utf8AgreesWithTheJdkDecoder(@ForAll byte[] b) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            jdk = true;
        } catch (java.nio.charset.CharacterCodingException e) {
            jdk = false;
        }
        assertEquals(jdk, Bytes.isUtf8(b));
    }

    @Test
    void parseLongAcceptsOnlyCanonicalIntegers() {
        assertEquals(42L, Bytes.parseLong(Bytes.of("42")));
        assertEquals(-7L, Bytes.parseLong(Bytes.of("-7")));
        assertEquals(Long.MIN_VALUE, Bytes.parseLong(Bytes.of("-9223372036854775808")));
        assertEquals(Long.MAX_VALUE, Bytes.parseLong(Bytes.of("9223372036854775807")));
        assertEquals(0L, Bytes.parseLong(Bytes.of("0")));
        assertNull(Bytes.parseLong(Bytes.of("9223372036854775808")));
        assertNull(Bytes.parseLong(Bytes.of("007")));
        assertNull(Bytes.parseLong(Bytes.of("-0")));
        assertNull(Bytes.parseLong(Bytes.of("+1")));
        assertNull(Bytes.parseLong(Bytes.of("")));
        assertNull(Bytes.parseLong(Bytes.of("1a")));
    }

    @Property
    void parseLongReadsWhatToStringWrites(@ForAll long v) {
        assertEquals(v, Bytes.parseLong(Bytes.of(Long.toString(v))));
    }

    @Test
    void previewEscapesBinary() {
        assertEquals("a\\x00b\\xff", Bytes.preview(new byte[] {'a', 0, 'b', (byte) 0xFF}));
        assertEquals("x".repeat(40) + "...", Bytes.preview(Bytes.of("x".repeat(50))));
    }

    @Test
    void limitsNameTheFlagThatRaisesThem() {
        Limits l = Limits.builder().maxStringBytes(100).build();
        LimitExceededException e = org.junit.jupiter.api.Assertions.assertThrows(LimitExceededException.class,
                () -> l.checkStringLength(101, "f.rdb", 12, "value of key 'k'"));
        assertEquals("f.rdb at offset 12: limit in value of key 'k': string length: found 101 (maximum 100, raise with --max-string-bytes)",
                e.getMessage());
        assertEquals(12, e.offset());
    }
}
