package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static io.redkit.rdb.encoding.Blobs.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redkit.core.RedkitException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZiplistDecoderTest {
    /** Blob offset of entry i in {@link #everyEncoding()}. */
    private static final int[] AT = new int[12];

    /** One entry of each encoding, prevlen of each = size of the one before. */
    static byte[] everyEncoding() {
        String s300 = "s".repeat(300);
        Blobs.B b = new Blobs.B();
        b.le32(0).le32(0).le16(11);                       // zlbytes, zltail (both patched below), zllen
        AT[0] = b.size();
        b.u8(0x00).u8(0x03).str("abc");                   // prevlen 0 | 6-bit string "abc"     (5 bytes)
        AT[1] = b.size();
        b.u8(0x05).u8(0xF1);                              // prevlen 5 | immediate 0            (2 bytes)
        AT[2] = b.size();
        b.u8(0x02).u8(0xFD);                              // prevlen 2 | immediate 12           (2 bytes)
        AT[3] = b.size();
        b.u8(0x02).u8(0xFE, 0x80);                        // prevlen 2 | int8 -128              (3 bytes)
        AT[4] = b.size();
        b.u8(0x03).u8(0xC0).le16(-300);                   // prevlen 3 | int16 -300             (4 bytes)
        AT[5] = b.size();
        b.u8(0x04).u8(0xF0, 0x00, 0x00, 0x80);            // prevlen 4 | int24 -8388608         (5 bytes)
        AT[6] = b.size();
        b.u8(0x05).u8(0xD0).le32(Integer.MAX_VALUE);      // prevlen 5 | int32                  (6 bytes)
        AT[7] = b.size();
        b.u8(0x06).u8(0xE0).le64(Long.MIN_VALUE);         // prevlen 6 | int64                  (10 bytes)
        AT[8] = b.size();
        b.u8(0x0A).u8(0x41, 0x2C).str(s300);              // prevlen 10 | 14-bit BE length 300  (303 bytes)
        AT[9] = b.size();
        b.u8(0xFE).le32(303).u8(0x80).be32(2).str("hi");  // 5-byte prevlen 303 | 32-bit BE length 2 (12 bytes)
        AT[10] = b.size();
        b.u8(0xFE).le32(12).u8(0x00);                     // 5-byte prevlen 12 (non-canonical, legal) | "" (6 bytes)
        AT[11] = b.size();
        b.u8(0xFF);                                       // terminator
        byte[] zl = b.build();
        LE.putU32(zl, 0, zl.length);
        LE.putU32(zl, 4, AT[10]);
        return zl;
    }

    @Test
    void decodesEveryEncoding() throws Exception {
        byte[] zl = everyEncoding();
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(11, ZiplistDecoder.decode(zl, 0, zl.length, c, CTX));
        assertEquals(List.of("abc", "0", "12", "-128", "-300", "-8388608", String.valueOf(Integer.MAX_VALUE),
                String.valueOf(Long.MIN_VALUE), "s".repeat(300), "hi", ""), c.texts());
    }

    @Test
    void builderAgreesWithDecoder() throws Exception {
        List<Object> in = new ArrayList<>();
        for (long v : new long[] {0, 12, 13, -1, 127, -129, 32767, 40000, -8388609, 1L << 40}) {
            in.add(v);
        }
        in.add(ascii("x".repeat(253)));
        in.add(ascii("y".repeat(20000)));
        in.add(ascii("z"));
        byte[] zl = Blobs.ziplist(in);
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(in.size(), ZiplistDecoder.decode(zl, 0, zl.length, c, CTX));
        assertEquals(13, c.entries.size());
    }

    @Test
    void emptyZiplist() throws Exception {
        byte[] zl = new Blobs.B().le32(11).le32(10).le16(0).u8(0xFF).build(); // zlbytes, zltail = header, zllen
        assertEquals(0, ZiplistDecoder.decode(zl, 0, zl.length, Blobs.IGNORE, CTX));
        LE.putU32(zl, 4, 9);
        assertEquals("at blob offset 4: zltail: found 9 (expected 10 to 10)", error(zl));
    }

    @Test
    void wrongPrevlen() {
        byte[] zl = everyEncoding();
        zl[AT[3]] = 0x03;
        assertEquals("at blob offset " + AT[3] + ": entry 3: prevlen: found 3 (expected 2, the size of the previous "
                + "entry)", error(zl));
        byte[] zl2 = everyEncoding();
        zl2[AT[9] + 1] = 0x30; // 5-byte prevlen 304
        assertEquals("at blob offset " + AT[9] + ": entry 9: prevlen: found 304 (expected 303, the size of the "
                + "previous entry)", error(zl2));
    }

    @Test
    void wrongEncoding() {
        byte[] zl = everyEncoding();
        zl[AT[4] + 1] = (byte) 0xC1;
        assertEquals("at blob offset " + (AT[4] + 1) + ": entry 4: encoding: found 0xC1 (expected a string or "
                + "integer encoding)", error(zl));
        byte[] zl2 = everyEncoding();
        zl2[AT[9] + 5] = (byte) 0x81; // a 32-bit length byte with stray low bits
        assertEquals("at blob offset " + (AT[9] + 5) + ": entry 9: encoding: found 0x81 (expected a string or "
                + "integer encoding)", error(zl2));
    }

    @Test
    void stringPastTheEnd() {
        byte[] zl = everyEncoding();
        zl[AT[9] + 9] = 0x20; // 32-bit length 0x20 instead of 2
        int left = zl.length - 1 - (AT[9] + 10);
        assertEquals("at blob offset " + (AT[9] + 5) + ": entry 9: string length: found 32 (expected at most "
                + left + ", the bytes left before the end)", error(zl));
    }

    @Test
    void headerFields() {
        byte[] zl = everyEncoding();
        LE.putU32(zl, 0, 7);
        assertEquals("at blob offset 0: zlbytes: found 7 (expected " + zl.length + ", the blob length)", error(zl));
        byte[] zl2 = everyEncoding();
        LE.putU32(zl2, 4, AT[9]);
        assertEquals("at blob offset 4: zltail: found " + AT[9] + " (expected " + AT[10]
                + ", the offset of the last entry)", error(zl2));
        byte[] zl3 = everyEncoding();
        LE.putU16(zl3, 8, 12);
        assertEquals("at blob offset 8: zllen: found 12 (expected 11, the entries walked)", error(zl3));
        LE.putU16(zl3, 8, 0xFFFF);
        assertEquals(11, assertDoesNotThrow(zl3));
        byte[] zl4 = everyEncoding();
        zl4[zl4.length - 1] = 0x7F;
        assertEquals("at blob offset " + (zl4.length - 1) + ": terminator: found 0x7F (expected 0xFF)", error(zl4));
        byte[] zl5 = everyEncoding();
        zl5[AT[10]] = (byte) 0xFF;
        assertEquals("at blob offset " + AT[10] + ": entry 10: found the end marker 0xFF (expected an entry, 6 "
                + "bytes before the end)", error(zl5));
    }

    private static int assertDoesNotThrow(byte[] zl) {
        try {
            return ZiplistDecoder.decode(zl, 0, zl.length, Blobs.IGNORE, CTX);
        } catch (RedkitException e) {
            throw new AssertionError(e);
        }
    }

    private static String error(byte[] zl) {
        return assertThrows(RedkitException.class,
                () -> ZiplistDecoder.decode(zl, 0, zl.length, Blobs.IGNORE, CTX)).detail();
    }
}
