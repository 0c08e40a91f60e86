package io.redkit.rdb.writer;

import io.redkit.rdb.encoding.Crc64;
import io.redkit.rdb.encoding.Lzf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Buffered RDB primitive encoder: lengths, strings (integer and LZF forms), fixed-width numbers.
 * It keeps the running CRC64 of every byte written. Owns its buffer; does not own the target stream.
 */
final class RdbOut {
    private static final int LZF_MIN_LEN = 21;
    /** Strings above this are written raw: LZF would need a scratch buffer as big as the string. */
    private static final int LZF_MAX_LEN = 8 << 20;
    private static final int SCRATCH_KEEP = 1 << 16;

    private final OutputStream out;
    private final boolean compress;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private long crc;
    private long written;
    private final byte[] scratch = new byte[SCRATCH_KEEP];

    RdbOut(OutputStream out, boolean compress) {
        this.out = out;
        this.compress = compress;
    }

    /** Bytes written so far (flushed or buffered). */
    long position() {
        return written + pos;
    }

    /** CRC64 of everything written so far. */
    long crc() {
        return Crc64.update(crc, buf, 0, pos);
    }

    void flushBuffer() throws IOException {
        if (pos > 0) {
            crc = Crc64.update(crc, buf, 0, pos);
            out.write(buf, 0, pos);
            written += pos;
            pos = 0;
        }
    }

    /** Drops buffered bytes not yet written (after an abandoned value). */
    void discard() {
        pos = 0;
    }

    /** Writes the buffer out and flushes the target stream. */
    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    void writeByte(int b) throws IOException {
        if (pos == buf.length) {
            flushBuffer();
        }
        buf[pos++] = (byte) b;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len <= buf.length - pos) {
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
            return;
        }
        flushBuffer();
        if (len >= buf.length) {
            crc = Crc64.update(crc, b, off, len);
            out.write(b, off, len);
            written += len;
        } else {
            System.arraycopy(b, off, buf, 0, len);
            pos = len;
        }
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /** Copies exactly {@code n} bytes from {@code in}. */
    void copyFrom(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            if (pos == buf.length) {
                flushBuffer();
            }
            int r = in.read(buf, pos, (int) Math.min(left, buf.length - pos));
            if (r < 0) {
                throw new IOException("spill file ended early: " + left + " bytes missing");
            }
            pos += r;
            left -= r;
        }
    }

    /** An RDB length (§3.1): 6-bit, 14-bit, 32-bit or 64-bit big-endian; {@code v} is unsigned. */
    void writeLen(long v) throws IOException {
        if (v >= 0 && v < (1 << 6)) {
            writeByte((int) v);
        } else if (v >= 0 && v < (1 << 14)) {
            writeByte(0x40 | (int) (v >>> 8));
            writeByte((int) v & 0xFF);
        } else if (v >= 0 && v <= 0xFFFFFFFFL) {
            writeByte(0x80);
            writeBe(v, 4);
        } else {
            writeByte(0x81);
            writeBe(v, 8);
        }
    }

    /** Encoded size of {@link #writeLen(long)}. */
    static int lenSize(long v) {
        if (v >= 0 && v < (1 << 6)) {
            return 1;
        }
        if (v >= 0 && v < (1 << 14)) {
            return 2;
        }
        return v >= 0 && v <= 0xFFFFFFFFL ? 5 : 9;
    }

    private void writeBe(long v, int n) throws IOException {
        for (int i = n - 1; i >= 0; i--) {
            writeByte((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    void writeInt64Le(long v) throws IOException {
        for (int i = 0; i < 8; i++) {
            writeByte((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    void writeUint16Le(int v) throws IOException {
        writeByte(v & 0xFF);
        writeByte((v >>> 8) & 0xFF);
    }

    void writeDoubleLe(double d) throws IOException {
        writeInt64Le(Double.doubleToRawLongBits(d));
    }

    /** A stream ID as 16 raw bytes, ms and seq big-endian (PEL and node keys). */
    void writeStreamIdRaw(long ms, long seq) throws IOException {
        writeBe(ms, 8);
        writeBe(seq, 8);
    }

    /** A string with Redis's save rules: integer encoding for short canonical int32 text, LZF when it pays. */
    void writeString(byte[] b) throws IOException {
        writeString(b, 0, b.length);
    }

    /** As {@link #writeString(byte[])} for a slice. */
    void writeString(byte[] b, int off, int len) throws IOException {
        if (len <= 11 && len > 0 && writeIntString(b, off, len)) {
            return;
        }
        if (compress && len >= LZF_MIN_LEN && len <= LZF_MAX_LEN && writeLzf(b, off, len)) {
            return;
        }
        writeLen(len);
        write(b, off, len);
    }

    /** The integer string form of a long, as Redis writes AUX integers. */
    void writeString(long v) throws IOException {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeIntEncoded((int) v);
        } else {
            writeString(Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private boolean writeIntString(byte[] b, int off, int len) throws IOException {
        long v = IntText.parse(b, off, len);
        if (v == IntText.NOT_AN_INT && !IntText.isMinSentinel(b, off, len)) {
            return false;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return false;
        }
        writeIntEncoded((int) v);
        return true;
    }

    private void writeIntEncoded(int v) throws IOException {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(0xC0);
            writeByte(v & 0xFF);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(0xC1);
            writeByte(v & 0xFF);
            writeByte((v >>> 8) & 0xFF);
        } else {
            writeByte(0xC2);
            for (int i = 0; i < 4; i++) {
                writeByte((v >>> (8 * i)) & 0xFF);
            }
        }
    }

    private boolean writeLzf(byte[] b, int off, int len) throws IOException {
        // like Redis: the compressed form must save at least 4 bytes
        int max = len - 4;
        byte[] s = max <= SCRATCH_KEEP ? scratch : new byte[max];
        int clen = Lzf.compress(b, off, len, s, 0, max);
        if (clen == 0) {
            return false;
        }
        writeByte(0xC3);
        writeLen(clen);
        writeLen(len);
        write(s, 0, clen);
        return true;
    }
}
