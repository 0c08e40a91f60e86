package io.redkit.rdb;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.rdb.encoding.Crc64;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The reader's byte source: a large buffer over an {@link InputStream} that knows its absolute
 * offset, keeps the running CRC64 of everything consumed (computed per buffer, not per byte),
 * and can record the consumed bytes for raw payloads. Not thread-safe; owned by one reader.
 */
final class RdbInput {
    private static final int BUFFER = 1 << 16;
    /** Largest {@link #slice} callers ask for: well inside the buffer, so a slice never grows it. */
    static final int SLICE_MAX = BUFFER / 4;

    private final InputStream in;
    private final String source;
    private byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    /** Absolute offset of buf[0]. */
    private long base;
    private boolean eof;

    private boolean crcOn = true;
    private long crc;
    /** Index in buf up to which {@link #crc} already covers the consumed bytes. */
    private int crcPos;

    private byte[] cap;
    private int capLen;
    private int capPos;
    private int capMax;
    private boolean capOverflow;

    /** When set, the CRC is computed on the read-ahead thread instead of here. */
    private final CrcPrefetcher prefetcher;

    RdbInput(InputStream in, String source) {
        this.in = in;
        this.source = source;
        this.prefetcher = in instanceof CrcPrefetcher p ? p : null;
    }

    String source() {
        return source;
    }

    /** Absolute offset of the next byte to be read. */
    long offset() {
        return base + pos;
    }

    /** CRC64 of every byte consumed so far (while the CRC is on). */
    long crc() {
        if (prefetcher != null) {
            return crcOn ? prefetcher.crcUpTo(offset()) : crc;
        }
        flushCrc();
        return crc;
    }

    /** Stops CRC accumulation from the current position (before reading the trailer). */
    void stopCrc() {
        if (prefetcher != null && crcOn) {
            crc = prefetcher.crcUpTo(offset());
        }
        flushCrc();
        crcOn = false;
    }

    private void flushCrc() {
        if (crcOn && prefetcher == null && pos > crcPos) {
            crc = Crc64.update(crc, buf, crcPos, pos - crcPos);
        }
        crcPos = pos;
    }

    private void flushCapture() {
        if (cap != null && pos > capPos) {
            int n = pos - capPos;
            if (!capOverflow) {
                if (capLen + (long) n > capMax) {
                    capOverflow = true;
                } else {
                    if (capLen + n > cap.length) {
                        cap = Arrays.copyOf(cap, Math.min(capMax, Math.max(capLen + n, cap.length * 2)));
                    }
                    System.arraycopy(buf, capPos, cap, capLen, n);
                    capLen += n;
                }
            }
        }
        capPos = pos;
    }

    /** Starts recording consumed bytes, keeping at most {@code max} (beyond that the capture is abandoned). */
    void startCapture(int max) {
        cap = new byte[Math.min(max, 256)];
        capLen = 0;
        capPos = pos;
        capMax = max;
        capOverflow = false;
    }

    /** Bytes recorded since {@link #startCapture} began, from {@code mark}; null if the capture overflowed. */
    byte[] captured(int mark) {
        flushCapture();
        return capOverflow ? null : Arrays.copyOfRange(cap, mark, capLen);
    }

    /** Current length of the capture, usable as a mark; -1 when not capturing or overflowed. */
    int captureMark() {
        if (cap == null) {
            return -1;
        }
        flushCapture();
        return capOverflow ? -1 : capLen;
    }

    boolean capturing() {
        return cap != null;
    }

    /** Stops recording and returns what was recorded (null on overflow). */
    byte[] stopCapture() {
        flushCapture();
        byte[] r = capOverflow ? null : Arrays.copyOf(cap, capLen);
        cap = null;
        return r;
    }

    /**
     * Makes at least {@code n} (at most the buffer size) bytes available, reading more input.
     * Throws TRUNCATED at the end of input, with the offset where the data stops.
     */
    private void require(int n, String what) throws IOException {
        if (limit - pos >= n) {
            return;
        }
        flushCrc();
        flushCapture();
        if (n > buf.length) {
            buf = Arrays.copyOf(buf, n);
        }
        if (pos > 0) {
            int rem = limit - pos;
            System.arraycopy(buf, pos, buf, 0, rem);
            base += pos;
            limit = rem;
            pos = 0;
            crcPos = 0;
            capPos = 0;
        }
        while (limit - pos < n) {
            if (eof) {
                throw truncated(what);
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
    }

    RedkitException truncated(String what) {
        return new RedkitException(ErrorKind.TRUNCATED, source, base + limit, what,
                "input ends at offset " + (base + limit));
    }

    /** True when no byte is left. */
    boolean atEnd() throws IOException {
        if (pos < limit) {
            return false;
        }
        try {
            require(1, "end");
            return false;
        } catch (RedkitException e) {
            return true;
        }
    }

    int readByte(String what) throws IOException {
        if (pos == limit) {
            require(1, what);
        }
        return buf[pos++] & 0xFF;
    }

    long readLongLE(String what) throws IOException {
        require(8, what);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 8;
        return v;
    }

    int readIntLE(String what) throws IOException {
        require(4, what);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    long readLongBE(String what) throws IOException {
        require(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFFL);
        }
        pos += 8;
        return v;
    }

    int readIntBE(String what) throws IOException {
        require(4, what);
        int v = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** Above this size an array grows as data actually arrives, so a lying length cannot allocate. */
    private static final int EAGER_ALLOCATION = 1 << 20;

    /** Reads exactly {@code len} bytes into a new array; the caller has bounded len already. */
    byte[] readBytes(int len, String what) throws IOException {
        if (len <= EAGER_ALLOCATION) {
            byte[] out = new byte[len];
            readFully(out, 0, len, what);
            return out;
        }
        byte[] out = new byte[EAGER_ALLOCATION];
        int have = 0;
        while (have < len) {
            if (have == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, (long) out.length * 2));
            }
            int n = Math.min(out.length - have, len - have);
            readFully(out, have, n, what);
            have += n;
        }
        return out;
    }

    void readFully(byte[] out, int off, int len, String what) throws IOException {
        while (len > 0) {
            if (pos == limit) {
                require(1, what);
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, out, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Skips {@code len} bytes (still covered by the CRC). */
    void skip(long len, String what) throws IOException {
        while (len > 0) {
            if (pos == limit) {
                require(1, what);
            }
            int n = (int) Math.min(len, limit - pos);
            pos += n;
            len -= n;
        }
    }

    /**
     * Gives direct access to {@code len} buffered bytes when they fit in the buffer: returns the
     * buffer and sets the read position past them; the slice starts at {@link #sliceStart()}.
     * Valid until the next read.
     */
    byte[] slice(int len, String what) throws IOException {
        require(len, what);
        sliceStart = pos;
        pos += len;
        return buf;
    }

    private int sliceStart;

    int sliceStart() {
        return sliceStart;
    }

    /**
     * An InputStream over the next {@code n} bytes; closing it skips what was not read. Used to
     * stream a big LZF string through a decompressor without holding it whole.
     */
    InputStream view(long n, String what) {
        return new InputStream() {
            private long left = n;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    return -1;
                }
                left--;
                return RdbInput.this.readByte(what);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                if (pos == limit) {
                    require(1, what);
                }
                int k = (int) Math.min(Math.min(len, left), limit - pos);
                System.arraycopy(buf, pos, b, off, k);
                pos += k;
                left -= k;
                return k;
            }

            @Override
            public void close() throws IOException {
                RdbInput.this.skip(left, what);
                left = 0;
            }
        };
    }

    /**
     * Everything not consumed yet: the buffered bytes, then the rest of the underlying stream.
     * Used where RESP commands follow an RDB (AOF preamble, replication stream).
     */
    InputStream remainder() {
        InputStream buffered = new java.io.ByteArrayInputStream(buf, pos, limit - pos);
        pos = limit;
        return eof ? buffered : new java.io.SequenceInputStream(buffered, in);
    }
}
