package io.redkit.rdb.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The sliced CRC64 against a bit-at-a-time reference, at every offset and length, continued in pieces. */
class Crc64Properties {

    /** CRC-64/Jones one bit at a time, straight from the definition. */
    private static long reference(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFFL;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95AC9329AC4BC9B5L : crc >>> 1;
            }
        }
        return crc;
    }

    @Example
    void checkValue() {
        assertEquals(0xE9C6D914C4B8D9CAL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Property
    void matchesTheReference(@ForAll @Size(max = 200) byte[] b, @ForAll @IntRange(max = 199) int from,
                             @ForAll @IntRange(max = 199) int cut) {
        int off = Math.min(from, b.length);
        int len = b.length - off;
        assertEquals(reference(0, b, off, len), Crc64.update(0, b, off, len));
        // continued over two pieces, the second starting at any alignment
        int mid = off + Math.min(cut, len);
        assertEquals(reference(0, b, off, len), Crc64.update(Crc64.update(0, b, off, mid - off), b, mid, off + len - mid));
    }
}
