package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static io.redkit.rdb.encoding.Blobs.ascii;
import static io.redkit.rdb.encoding.Blobs.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LzfTest {

    /** The LZF payload of a DUMP of a 2568-byte string from redis-server 7.0.15 (rdbcompression yes). */
    static final String REDIS_LZF = ""
            + "1f54686520717569636b2062726f776e20666f78206a756d7073206f7665722074201e0a6c617a7920646f672e2054"
            + "200de0ff2ce1ff0de2ff1be3ff29e4ff37e5ff45e69e531f000102030405060708090a0b0c0d0e0f10111213141516"
            + "1718191a1b1c1d1e1f1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f1f40414243"
            + "4445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f1f606162636465666768696a6b6c6d6e6f7071"
            + "72737475767778797a7b7c7d7e7f1f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
            + "1fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf1fc0c1c2c3c4c5c6c7c8c9cacbcc"
            + "cdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf1fe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fa"
            + "fbfcfdfeffe0ffffe1edff01feff";

    static byte[] redisText() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            o.writeBytes(ascii("The quick brown fox jumps over the lazy dog. "));
        }
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 256; i++) {
                o.write(i);
            }
        }
        return o.toByteArray();
    }

    @Test
    void decompressesWhatRedisCompressed() throws Exception {
        byte[] c = hex(REDIS_LZF);
        assertEquals(343, c.length);
        byte[] text = redisText();
        assertArrayEquals(text, Lzf.decompress(c, 0, c.length, 2568, CTX));
        assertArrayEquals(text, new LzfInputStream(new ByteArrayInputStream(c), c.length, 2568, CTX).readAllBytes());
    }

    @Test
    void literalThenOverlappingReferences() throws Exception {
        byte[] c = new Blobs.B()
                .u8(0x02).str("abc")   // literal run of 3
                .u8(0x20, 0x02)        // N=1 -> copy 3 bytes, distance 2+1 = 3: "abc"
                .u8(0xE0, 0x05, 0x00)  // N=7, +5 -> copy 14 bytes, distance 1: "cccc..."
                .build();
        byte[] out = new byte[20];
        assertEquals(20, Lzf.decompress(c, 0, c.length, out, 0, 20, CTX));
        assertEquals("abcabccccccccccccccc", new String(out, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void literalRunPastTheInput() {
        byte[] c = new Blobs.B().u8(0x01).str("ab").u8(0x05).str("xy").build(); // second run claims 6 bytes
        RedkitException e = assertThrows(RedkitException.class, () -> Lzf.decompress(c, 0, c.length, 10, CTX));
        assertEquals(ErrorKind.INTEGRITY, e.kind());
        assertEquals("at blob offset 3: literal run: found 6 bytes (expected at most 2 left in the compressed input)",
                e.detail());
        assertEquals(e.detail(), streamError(c, 10).detail());
    }

    @Test
    void referenceBeforeTheOutputStart() {
        byte[] c = new Blobs.B().u8(0x00).str("a").u8(0x20, 0x05).build(); // distance 6 after 1 byte
        RedkitException e = assertThrows(RedkitException.class, () -> Lzf.decompress(c, 0, c.length, 4, CTX));
        assertEquals("at blob offset 2: back-reference: found distance 6 (expected at most 1, the bytes "
                + "decompressed so far)", e.detail());
        assertEquals(e.detail(), streamError(c, 4).detail());
    }

    @Test
    void referenceCutShort() {
        byte[] c = new Blobs.B().u8(0x00).str("a").u8(0xE0, 0x01).build(); // long match without its distance byte
        RedkitException e = assertThrows(RedkitException.class, () -> Lzf.decompress(c, 0, c.length, 12, CTX));
        assertEquals("at blob offset 2: back-reference: found the compressed input ending inside it (expected "
                + "2 or 3 bytes)", e.detail());
        assertEquals(e.detail(), streamError(c, 12).detail());
    }

    @Test
    void outputOverflowAndShortOutput() {
        byte[] c = new Blobs.B().u8(0x02).str("abc").u8(0x20, 0x02).build(); // "abcabc"
        RedkitException over = assertThrows(RedkitException.class, () -> Lzf.decompress(c, 0, c.length, 5, CTX));
        assertEquals("at blob offset 4: decompressed length: found at least 6 (expected 5)", over.detail());
        assertEquals(over.detail(), streamError(c, 5).detail());
        RedkitException shorter = assertThrows(RedkitException.class, () -> Lzf.decompress(c, 0, c.length, 7, CTX));
        assertEquals("at blob offset 6: decompressed length: found 6 (expected 7)", shorter.detail());
        assertEquals(shorter.detail(), streamError(c, 7).detail());
    }

    @Test
    void absurdUncompressedLengthIsRefusedBeforeAllocating() {
        byte[] c = new byte[10];
        RedkitException e = assertThrows(RedkitException.class,
                () -> Lzf.decompress(c, 0, c.length, Integer.MAX_VALUE, CTX));
        assertTrue(e.detail().startsWith("at blob offset 0: uncompressed length: found 2147483647"), e.detail());
    }

    @Test
    void compressesTextAndRoundTrips() throws Exception {
        byte[] text = redisText();
        byte[] out = new byte[text.length];
        int n = Lzf.compress(text, 0, text.length, out, 0, out.length);
        assertTrue(n > 0 && n < 400, "compressed to " + n);
        assertArrayEquals(text, Lzf.decompress(out, 0, n, text.length, CTX));
    }

    @Test
    void compressReturnsZeroWhenItDoesNotFit() {
        byte[] noise = new byte[1000];
        new Random(1).nextBytes(noise);
        assertEquals(0, Lzf.compress(noise, 0, noise.length, new byte[996], 0, 996));
        assertEquals(0, Lzf.compress(noise, 0, 0, new byte[10], 0, 10));
        byte[] zeros = new byte[1000];
        assertEquals(0, Lzf.compress(zeros, 0, zeros.length, new byte[10], 0, 5));
    }

    @Test
    void compressRespectsOffsetsAndLongRuns() throws Exception {
        byte[] in = new byte[100_000 + 7];
        for (int i = 7; i < in.length; i++) {
            in[i] = (byte) (i % 3 == 0 ? 'a' : 'b');
        }
        byte[] out = new byte[in.length];
        int n = Lzf.compress(in, 7, 100_000, out, 5, out.length - 5);
        assertTrue(n > 0 && n < 2000, "compressed to " + n);
        byte[] back = Lzf.decompress(out, 5, n, 100_000, CTX);
        assertArrayEquals(java.util.Arrays.copyOfRange(in, 7, in.length), back);
    }

    @Test
    void streamDecompressesLargePayloadsInSmallPieces() throws Exception {
        Random rnd = new Random(42);
        byte[] data = new byte[3_000_000];
        for (int i = 0; i < data.length; ) {
            // mixes literals, short and long repeats at all distances
            int run = 1 + rnd.nextInt(300);
            if (i > 9000 && rnd.nextBoolean()) {
                int from = i - 1 - rnd.nextInt(9000);
                for (int k = 0; k < run && i < data.length; k++) {
                    data[i++] = data[from + k];
                }
            } else {
                for (int k = 0; k < run && i < data.length; k++) {
                    data[i++] = (byte) rnd.nextInt(16);
                }
            }
        }
        byte[] c = new byte[data.length + data.length / 16 + 64];
        int n = Lzf.compress(data, 0, data.length, c, 0, c.length);
        assertTrue(n > 0);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(c, 0, n)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(700)));
            }
        };
        LzfInputStream s = new LzfInputStream(trickle, n, data.length, CTX);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[70_000];
        int r;
        while ((r = s.read(buf, 0, 1 + rnd.nextInt(buf.length))) >= 0) {
            got.write(buf, 0, r);
            if (rnd.nextInt(50) == 0) {
                int one = s.read();
                if (one >= 0) {
                    got.write(one);
                }
            }
        }
        assertArrayEquals(data, got.toByteArray());
        assertEquals(0, s.compressedRemaining());
        assertEquals(0, s.remaining());
    }

    @Test
    void streamReportsEndOfInputAsTruncation() throws Exception {
        byte[] c = new Blobs.B().u8(0x02).str("abc").u8(0x20, 0x02).build();
        LzfInputStream s = new LzfInputStream(new ByteArrayInputStream(c, 0, 3), c.length, 6, CTX);
        RedkitException e = assertThrows(RedkitException.class, s::readAllBytes);
        assertEquals(ErrorKind.TRUNCATED, e.kind());
        assertEquals("at blob offset 3: LZF payload: found end of input (expected 3 more compressed bytes)",
                e.detail());
    }

    @Test
    void streamNeverReadsPastTheCompressedLength() throws Exception {
        byte[] c = new Blobs.B().u8(0x02).str("abc").u8(0x20, 0x02).str("NEXT").build();
        ByteArrayInputStream under = new ByteArrayInputStream(c);
        LzfInputStream s = new LzfInputStream(under, 6, 6, CTX);
        assertEquals("abcabc", new String(s.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(4, under.available());
    }

    @Test
    void streamsA100MegabyteStringThroughTheFixedWindow() throws Exception {
        final long ulen = 100L << 20;
        final long refs = (ulen - 1) / 264;
        final int tail = (int) (ulen - 1 - refs * 264);
        // 'a', then (ulen - 1) / 264 references "copy 264 bytes from distance 1", then a shorter one:
        // generated on the fly, so neither side of the stream is ever held in memory
        InputStream gen = new InputStream() {
            long pos;
            final long clen = 2 + refs * 3 + 3;

            @Override
            public int read() {
                if (pos >= clen) {
                    return -1;
                }
                long p = pos++;
                if (p == 0) {
                    return 0x00;
                }
                if (p == 1) {
                    return 'a';
                }
                long k = (p - 2) / 3;
                int f = (int) ((p - 2) % 3);
                if (k < refs) {
                    return f == 0 ? 0xE0 : f == 1 ? 0xFF : 0x00;
                }
                return f == 0 ? 0xE0 : f == 1 ? tail - 9 : 0x00;
            }
        };
        long clen = 2 + refs * 3 + 3;
        LzfInputStream s = new LzfInputStream(gen, clen, ulen, CTX);
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int r;
        while ((r = s.read(buf, 0, buf.length)) > 0) {
            for (int i = 0; i < r; i++) {
                if (buf[i] != 'a') {
                    throw new AssertionError("byte " + (total + i));
                }
            }
            total += r;
        }
        assertEquals(ulen, total);
    }

    @Test
    void closingLeavesTheUnderlyingStreamOpen() throws Exception {
        byte[] c = new Blobs.B().u8(0x02).str("abc").build();
        boolean[] closed = {false};
        InputStream under = new FilterInputStream(new ByteArrayInputStream(c)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        LzfInputStream s = new LzfInputStream(under, c.length, 3, CTX);
        assertEquals('a', s.read());
        s.close();
        assertEquals(false, closed[0]);
        assertThrows(IOException.class, s::read);
        assertEquals(0, s.compressedRemaining());
    }

    private static RedkitException streamError(byte[] c, int ulen) {
        return assertThrows(RedkitException.class,
                () -> new LzfInputStream(new ByteArrayInputStream(c), c.length, ulen, CTX).readAllBytes());
    }
}
