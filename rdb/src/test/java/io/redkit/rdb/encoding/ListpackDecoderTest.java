package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static io.redkit.rdb.encoding.Blobs.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListpackDecoderTest {

    /**
     * DUMP of {@code HSET h a 1 b -1 c 300 d -5000 e 70000 f 10000000 g 3000000000 h 9223372036854775807
     * i -9223372036854775808 j 01 k string} from redis-server 7.0.15: the LZF payload of its listpack.
     */
    static final String REDIS_HASH_LZF = "1f6900000016008161020101816202dfff02816302c12c02816402f178ec038165"
            + "1602f270110104816602f38096980005816702f4005ed0b22035060009816802f4ff8000037f09816920198000148009"
            + "816a0282303103816b0286737472696e6707ff";

    static byte[] redisHashListpack() throws RedkitException {
        byte[] c = hex(REDIS_HASH_LZF);
        return Lzf.decompress(c, 0, c.length, 105, CTX);
    }

    static final List<String> REDIS_HASH_ENTRIES = List.of("a", "1", "b", "-1", "c", "300", "d", "-5000", "e",
            "70000", "f", "10000000", "g", "3000000000", "h", "9223372036854775807", "i", "-9223372036854775808",
            "j", "01", "k", "string");

    @Test
    void decodesAListpackWrittenByRedis() throws Exception {
        byte[] lp = redisHashListpack();
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(22, ListpackDecoder.decode(lp, 0, lp.length, c, CTX));
        assertEquals(REDIS_HASH_ENTRIES, c.texts());
    }

    /** One entry of each encoding; {@code at[i]} is the blob offset of entry i. */
    private static final int[] AT = new int[11];

    static byte[] everyEncoding() {
        Blobs.B b = new Blobs.B();
        b.le32(0).le16(10);                            // total-bytes (patched below), num-elements
        AT[0] = b.size();
        b.u8(0x05).u8(0x01);                           // uint7 5, backlen 1
        AT[1] = b.size();
        b.u8(0x82).str("hi").u8(0x03);                 // str6 "hi", backlen 3
        AT[2] = b.size();
        b.u8(0xDF, 0xFF).u8(0x02);                     // int13 0x1FFF = -1, backlen 2
        AT[3] = b.size();
        b.u8(0xE0, 0x40).str("x".repeat(64)).u8(66);   // str12 of 64 bytes, backlen 66
        AT[4] = b.size();
        b.u8(0xF0).le32(5).str("hello").u8(10);        // str32 "hello" (legal though Redis uses str6), backlen 10
        AT[5] = b.size();
        b.u8(0xF1).le16(1000).u8(3);                   // int16 1000, backlen 3
        AT[6] = b.size();
        b.u8(0xF2, 0x60, 0x79, 0xFE).u8(4);            // int24 -100000, backlen 4
        AT[7] = b.size();
        b.u8(0xF3).le32(100_000_000).u8(5);            // int32 100000000, backlen 5
        AT[8] = b.size();
        b.u8(0xF4).le64(Long.MIN_VALUE).u8(9);         // int64 min, backlen 9
        AT[9] = b.size();
        b.u8(0xE0, 200).str("y".repeat(200))           // str12 of 200 bytes (entry size 202)
                .u8(0x01, 0xCA);                       //   backlen 202 = 1 << 7 | 0x4A, high group first
        AT[10] = b.size();
        b.u8(0xFF);                                    // terminator
        byte[] lp = b.build();
        LE.putU32(lp, 0, lp.length);
        return lp;
    }

    @Test
    void decodesEveryEncoding() throws Exception {
        byte[] lp = everyEncoding();
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(10, ListpackDecoder.decode(lp, 0, lp.length, c, CTX));
        assertEquals(List.of("5", "hi", "-1", "x".repeat(64), "hello", "1000", "-100000", "100000000",
                String.valueOf(Long.MIN_VALUE), "y".repeat(200)), c.texts());
    }

    @Test
    void decodesAtAnOffset() throws Exception {
        byte[] lp = everyEncoding();
        byte[] shifted = new byte[lp.length + 9];
        System.arraycopy(lp, 0, shifted, 4, lp.length);
        assertEquals(10, ListpackDecoder.decode(shifted, 4, lp.length, new Blobs.Collect(), CTX));
    }

    @Test
    void unknownCountIsAccepted() throws Exception {
        byte[] lp = everyEncoding();
        LE.putU16(lp, 4, 0xFFFF);
        assertEquals(10, ListpackDecoder.decode(lp, 0, lp.length, Blobs.IGNORE, CTX));
    }

    @Test
    void flippedBacklen() {
        byte[] lp = everyEncoding();
        lp[AT[1] + 3] = 0x04;
        assertEquals("at blob offset 11: entry 1: backlen: found 4 (expected 3, the entry size)", error(lp));
    }

    @Test
    void flippedMultiByteBacklen() {
        byte[] lp = everyEncoding();
        lp[AT[9] + 202] = (byte) 0x81;
        assertEquals("at blob offset " + (AT[9] + 202) + ": entry 9: backlen byte 0: found 0x81 (expected bit 7 clear)",
                error(lp));
        lp = everyEncoding();
        lp[AT[9] + 203] = (byte) 0xCB;
        assertEquals("at blob offset " + (AT[9] + 202) + ": entry 9: backlen: found 203 (expected 202, the entry size)",
                error(lp));
    }

    @Test
    void invalidEncodingByte() {
        byte[] lp = everyEncoding();
        lp[AT[5]] = (byte) 0xF5;
        assertEquals("at blob offset " + AT[5] + ": entry 5: encoding: found 0xF5 (expected a string or integer "
                + "encoding)", error(lp));
    }

    @Test
    void stringLengthPastTheEnd() {
        byte[] lp = everyEncoding();
        lp[AT[4] + 4] = (byte) 0x68; // str32 length 0x68000005: far beyond the blob
        RedkitException e = assertThrows(RedkitException.class,
                () -> ListpackDecoder.decode(lp, 0, lp.length, Blobs.IGNORE, CTX));
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertEquals("at blob offset " + AT[4] + ": entry 4: string length: found 1744830469 (expected at most "
                + (lp.length - 1 - AT[4] - 5) + ", the bytes left before the end)", e.detail());
    }

    @Test
    void headerFields() {
        byte[] lp = everyEncoding();
        LE.putU32(lp, 0, lp.length + 1);
        assertEquals("at blob offset 0: total-bytes: found " + (lp.length + 1) + " (expected " + lp.length
                + ", the blob length)", error(lp));
        byte[] lp2 = everyEncoding();
        LE.putU16(lp2, 4, 11);
        assertEquals("at blob offset 4: num-elements: found 11 (expected 10, the entries walked)", error(lp2));
        byte[] lp3 = everyEncoding();
        lp3[lp3.length - 1] = 0x00;
        assertEquals("at blob offset " + (lp3.length - 1) + ": terminator: found 0x00 (expected 0xFF)", error(lp3));
        byte[] lp4 = everyEncoding();
        lp4[AT[2]] = (byte) 0xFF;
        assertEquals("at blob offset " + AT[2] + ": entry 2: found the end marker 0xFF (expected an entry, "
                + (lp4.length - 1 - AT[2]) + " bytes before the end)", error(lp4));
        assertEquals("at blob offset 0: listpack size: found 6 bytes (expected at least 7)",
                error(hex("060000000000")));
    }

    @Test
    void emptyListpack() throws Exception {
        byte[] lp = hex("07000000 0000 FF"); // total 7, no elements, terminator
        assertEquals(0, ListpackDecoder.decode(lp, 0, lp.length, Blobs.IGNORE, CTX));
    }

    @Test
    void errorsCarryTheContext() {
        byte[] lp = everyEncoding();
        lp[AT[1] + 3] = 0x04;
        BlobContext ctx = new BlobContext("dump.rdb", 1234, "listpack of key 'user:9'");
        RedkitException e = assertThrows(RedkitException.class,
                () -> ListpackDecoder.decode(lp, 0, lp.length, Blobs.IGNORE, ctx));
        assertEquals(1234, e.offset());
        assertEquals("dump.rdb at offset 1234: integrity in listpack of key 'user:9': at blob offset 11: entry 1: "
                + "backlen: found 4 (expected 3, the entry size)", e.getMessage());
    }

    private static String error(byte[] lp) {
        return assertThrows(RedkitException.class,
                () -> ListpackDecoder.decode(lp, 0, lp.length, Blobs.IGNORE, CTX)).detail();
    }
}
