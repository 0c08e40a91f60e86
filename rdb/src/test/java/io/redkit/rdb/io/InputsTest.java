package io.redkit.rdb.io;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputsTest {
    @TempDir
    Path dir;

    /** Something shaped like an RDB file: header, aux field, one string key, EOF opcode, checksum. */
    private static byte[] rdbLike() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("REDIS0011".getBytes(StandardCharsets.US_ASCII));
        b.write(0xFA);                                   // AUX opcode
        b.write(9);                                      // key length 9
        b.writeBytes("redis-ver".getBytes(StandardCharsets.US_ASCII));
        b.write(5);                                      // value length 5
        b.writeBytes("7.2.4".getBytes(StandardCharsets.US_ASCII));
        b.write(0xFE);                                   // SELECTDB
        b.write(0);                                      // db 0
        for (int i = 0; i < 200; i++) {                  // enough keys to need more than one read
            b.write(0);                                  // type string
            byte[] k = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            b.write(k.length);
            b.writeBytes(k);
            b.write(5);
            b.writeBytes("value".getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0xFF);                                   // EOF
        b.writeBytes(new byte[8]);                       // checksum 0: not written
        return b.toByteArray();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(Compressor c, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(bos)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    private static byte[] readAll(String path) throws IOException {
        try (InputStream in = Inputs.open(path)) {
            return in.readAllBytes();
        }
    }

    private void roundTrip(Compression expected, Compressor c) throws IOException {
        byte[] data = rdbLike();
        byte[] packed = compress(c, data);
        assertEquals(expected, Compression.detect(packed, packed.length));
        // a misleading name on purpose: detection is by content only
        Path p = write("dump.rdb", packed);
        assertArrayEquals(data, readAll(p.toString()));
        assertEquals(packed.length, Inputs.size(p.toString()));
    }

    @Test
    void plain() throws IOException {
        roundTrip(Compression.NONE, out -> out);
    }

    @Test
    void gzip() throws IOException {
        roundTrip(Compression.GZIP, GZIPOutputStream::new);
    }

    @Test
    void bzip2() throws IOException {
        roundTrip(Compression.BZIP2, BZip2CompressorOutputStream::new);
    }

    @Test
    void xz() throws IOException {
        roundTrip(Compression.XZ, out -> new XZOutputStream(out, new LZMA2Options()));
    }

    @Test
    void zstd() throws IOException {
        roundTrip(Compression.ZSTD, ZstdCompressorOutputStream::new);
    }

    @Test
    void lz4Frame() throws IOException {
        roundTrip(Compression.LZ4, LZ4FrameOutputStream::new);
    }

    @Test
    void concatenatedGzipMembersReadAsOne() throws IOException {
        byte[] a = "REDIS0011".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "more".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(compress(GZIPOutputStream::new, a));
        both.writeBytes(compress(GZIPOutputStream::new, b));
        Path p = write("x", both.toByteArray());
        assertEquals("REDIS0011more", new String(readAll(p.toString()), StandardCharsets.US_ASCII));
    }

    @Test
    void truncatedGzipIsATypedInputError() throws IOException {
        byte[] packed = compress(GZIPOutputStream::new, rdbLike());
        Path p = write("cut.gz", Arrays.copyOf(packed, packed.length / 2));
        RedkitException e = assertThrows(RedkitException.class, () -> readAll(p.toString()));
        assertEquals(ErrorKind.TRUNCATED, e.kind());
        assertEquals(p.toString(), e.source());
        assertTrue(e.getMessage().contains("gzip stream"), e.getMessage());
    }

    @Test
    void damagedXzIsATypedInputError() throws IOException {
        byte[] packed = compress(out -> new XZOutputStream(out, new LZMA2Options()), rdbLike());
        packed[packed.length / 2] ^= 0x55;
        Path p = write("bad.xz", packed);
        RedkitException e = assertThrows(RedkitException.class, () -> readAll(p.toString()));
        assertTrue(e.getMessage().contains("xz stream"), e.getMessage());
    }

    @Test
    void damagedLz4IsATypedInputErrorNotARuntimeException() throws IOException {
        byte[] packed = compress(LZ4FrameOutputStream::new, rdbLike());
        for (int i = 7; i < packed.length - 4; i++) {
            packed[i] = (byte) 0xFF;
        }
        Path p = write("bad.lz4", packed);
        assertThrows(RedkitException.class, () -> readAll(p.toString()));
    }

    @Test
    void shortAndEmptyInputsPassThrough() throws IOException {
        assertArrayEquals(new byte[0], readAll(write("empty", new byte[0]).toString()));
        assertArrayEquals(new byte[] {0x1F}, readAll(write("one", new byte[] {0x1F}).toString()));
    }

    @Test
    void missingFileNamesThePath() {
        String missing = dir.resolve("nope.rdb").toString();
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Inputs.open(missing));
        assertEquals("cannot open " + missing + ": no such file", e.getMessage());
        assertEquals(-1, Inputs.size(missing));
    }

    @Test
    void directoryIsRefused() {
        IOException e = assertThrows(IOException.class, () -> Inputs.open(dir.toString()));
        assertTrue(e.getMessage().endsWith("is a directory"), e.getMessage());
    }

    @Test
    void rawErrorsPassUnchanged() throws IOException {
        byte[] packed = compress(GZIPOutputStream::new, rdbLike());
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served >= 12) {
                    throw new IOException("disk on fire");
                }
                int n = Math.min(len, 12 - served);
                System.arraycopy(packed, served, b, off, n);
                served += n;
                return n;
            }
        };
        try (InputStream in = Inputs.decompress(failing, "x")) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertEquals("disk on fire", e.getMessage());
        }
    }

    @Test
    void stdinNames() {
        assertTrue(Inputs.isStdin("-"));
        assertEquals("<stdin>", Inputs.displayName("-"));
        assertEquals("a.rdb", Inputs.displayName("a.rdb"));
    }
}
