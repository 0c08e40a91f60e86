package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static io.redkit.rdb.encoding.Blobs.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redkit.core.RedkitException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZipmapDecoderTest {

    static byte[] sample() {
        return new Blobs.B()
                .u8(0x02)                                  // zmlen: 2 pairs
                .u8(0x03).str("foo")                       // key length 3, "foo"
                .u8(0x03).u8(0x02).str("bar").u8(0, 0)     // value length 3, free 2, "bar", 2 padding bytes
                .u8(0xFE).le32(300).str("k".repeat(300))   // key length 0xFE + u32 300
                .u8(0x00).u8(0x00)                         // value length 0, free 0
                .u8(0xFF)                                  // terminator
                .build();
    }

    @Test
    void decodesPairsSkippingFreeBytes() throws Exception {
        byte[] zm = sample();
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(2, ZipmapDecoder.decode(zm, 0, zm.length, c, CTX));
        assertEquals(List.of("foo", "bar", "k".repeat(300), ""), c.texts());
    }

    @Test
    void countBytesFrom254AreUnknownOtherValuesMustMatch() throws Exception {
        byte[] zm = sample();
        zm[0] = (byte) 254;
        assertEquals(2, ZipmapDecoder.decode(zm, 0, zm.length, Blobs.IGNORE, CTX));
        zm[0] = 3;
        assertEquals("at blob offset 0: zmlen: found 3 (expected 2, the pairs walked)", error(zm));
        // Redis 7's integrity check refuses 255 (fixture hdt-zipmap_big_len), but zipmapLen and the
        // format notes treat every value from 254 up as "count by walking": redkit reads the entries
        zm[0] = (byte) 255;
        assertEquals(2, ZipmapDecoder.decode(zm, 0, zm.length, Blobs.IGNORE, CTX));
    }

    @Test
    void builderAgrees() throws Exception {
        List<byte[]> kv = List.of(ascii("a"), ascii("1"), ascii("b".repeat(254)), ascii("c".repeat(1000)));
        byte[] zm = Blobs.zipmap(kv, 3);
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(2, ZipmapDecoder.decode(zm, 0, zm.length, c, CTX));
        assertEquals(4, c.entries.size());
    }

    @Test
    void errors() {
        byte[] zm = sample();
        zm[5] = (byte) 0xFE; // value length 0xFE + u32 LE from the bytes "\x02bar": far past the end
        assertEquals("at blob offset 5: pair 0: value + free length: found " + LE.u32(zm, 6)
                + " (expected at most " + (zm.length - 12) + ", the bytes left before the end)", error(zm));
        byte[] zm2 = sample();
        zm2[zm2.length - 1] = 0;
        assertEquals("at blob offset " + (zm2.length - 1) + ": terminator: found 0x00 (expected 0xFF)", error(zm2));
        byte[] zm3 = sample();
        zm3[12] = (byte) 0xFF; // end marker where the second key starts
        assertEquals("at blob offset 12: pair 1: found the end marker 0xFF (expected a key, " + (zm3.length - 13)
                + " bytes before the end)", error(zm3));
        byte[] zm4 = sample();
        zm4[5] = (byte) 0xFF;
        assertEquals("at blob offset 5: pair 0: value length: found 0xFF (expected a length)", error(zm4));
        assertEquals("at blob offset 0: zipmap size: found 1 bytes (expected at least 2)", error(new byte[] {0}));
    }

    private static String error(byte[] zm) {
        return assertThrows(RedkitException.class,
                () -> ZipmapDecoder.decode(zm, 0, zm.length, Blobs.IGNORE, CTX)).detail();
    }
}
