package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static io.redkit.rdb.encoding.Blobs.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListpackEncoderTest {

    @Test
    void encodesStringsExactlyAsRedisDid() throws Exception {
        ListpackEncoder enc = new ListpackEncoder(8);
        for (String s : ListpackDecoderTest.REDIS_HASH_ENTRIES) {
            enc.addString(ascii(s));
        }
        assertEquals(22, enc.size());
        byte[] redis = ListpackDecoderTest.redisHashListpack();
        assertEquals(redis.length, enc.byteSize());
        assertArrayEquals(redis, enc.toByteArray());
    }

    @Test
    void canonicalIntegersOnly() throws Exception {
        List<String> texts = List.of("0", "-0", "007", "+5", "-", "", "127", "128", "-4096", "-4097", "4095",
                "4096", "32767", "32768", "-8388608", "-8388609", "2147483647", "2147483648",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                "12a", " 1", "99999999999999999999");
        ListpackEncoder enc = new ListpackEncoder();
        for (String s : texts) {
            enc.addString(ascii(s));
        }
        byte[] lp = enc.toByteArray();
        Blobs.Collect c = new Blobs.Collect();
        ListpackDecoder.decode(lp, 0, lp.length, c, CTX);
        assertEquals(texts, c.texts());
        // which of them became integer entries
        StringBuilder kinds = new StringBuilder();
        for (Object o : c.entries) {
            kinds.append(o instanceof Long ? 'i' : 's');
        }
        assertEquals("isssss" + "i".repeat(13) + "sissss", kinds.toString());
    }

    @Test
    void integerWidthsAndBacklens() throws Exception {
        ListpackEncoder enc = new ListpackEncoder();
        enc.addInteger(5).addInteger(-1).addInteger(10_000).addInteger(-100_000).addInteger(100_000_000)
                .addInteger(Long.MIN_VALUE);
        byte[] expected = new Blobs.B()
                .le32(37).le16(6)                       // total-bytes, num-elements
                .u8(0x05, 0x01)                         // uint7 5
                .u8(0xDF, 0xFF, 0x02)                   // int13 -1
                .u8(0xF1).le16(10_000).u8(0x03)         // int16
                .u8(0xF2, 0x60, 0x79, 0xFE, 0x04)       // int24 -100000
                .u8(0xF3).le32(100_000_000).u8(0x05)    // int32
                .u8(0xF4).le64(Long.MIN_VALUE).u8(0x09) // int64
                .u8(0xFF)
                .build();
        assertArrayEquals(expected, enc.toByteArray());
    }

    @Test
    void longStringsAndReuse() throws Exception {
        ListpackEncoder enc = new ListpackEncoder(8);
        for (int round = 0; round < 2; round++) {
            enc.reset();
            byte[] s63 = ascii("a".repeat(63));
            byte[] s4095 = ascii("b".repeat(4095));
            byte[] s4096 = ascii("c".repeat(4096));
            byte[] s20000 = ascii("d".repeat(20000));
            enc.addString(s63).addString(s4095).addString(s4096).addString(s20000);
            byte[] lp = enc.toByteArray();
            // 6 header + (1+63+1) + (2+4095+2) + (5+4096+2) + (5+20000+3) + 1
            assertEquals(6 + 65 + 4099 + 4103 + 20008 + 1, lp.length);
            assertEquals(0x80 | 63, lp[6] & 0xFF);
            assertEquals(0xEF, lp[6 + 65] & 0xFF);
            assertEquals(0xF0, lp[6 + 65 + 4099] & 0xFF);
            Blobs.Collect c = new Blobs.Collect();
            assertEquals(4, ListpackDecoder.decode(lp, 0, lp.length, c, CTX));
            assertArrayEquals(s20000, (byte[]) c.entries.get(3));
        }
    }

    @Test
    void moreThan65534EntriesMarkTheCountUnknown() throws Exception {
        ListpackEncoder enc = new ListpackEncoder();
        for (int i = 0; i < 70_000; i++) {
            enc.addInteger(i & 63);
        }
        byte[] lp = enc.toByteArray();
        assertEquals(0xFFFF, LE.u16(lp, 4));
        assertEquals(70_000, ListpackDecoder.decode(lp, 0, lp.length, Blobs.IGNORE, CTX));
    }
}
