package io.redkit.rdb.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds a listpack the way Redis's {@code lpAppend} does: a string that is a canonical 64-bit integer
 * becomes an integer entry of the smallest width, other strings get a 6, 12 or 32-bit length, and every
 * entry carries its backlen. One encoder is reused for many listpacks ({@link #reset()}); it is not
 * thread-safe.
 */
public final class ListpackEncoder {
    private static final int HEADER = ListpackDecoder.HEADER;
    /** Longest canonical integer text, "-9223372036854775808". */
    private static final int MAX_INT_TEXT = 20;

    private byte[] buf;
    private int pos;
    private int count;

    /** An encoder with a small initial buffer that grows as needed. */
    public ListpackEncoder() {
        this(256);
    }

    /** An encoder whose buffer starts at {@code initialCapacity} bytes. */
    public ListpackEncoder(int initialCapacity) {
        buf = new byte[Math.max(initialCapacity, HEADER + 1)];
        pos = HEADER;
    }

    /** Starts a new, empty listpack, keeping the buffer. */
    public ListpackEncoder reset() {
        pos = HEADER;
        count = 0;
        return this;
    }

    /** Appends {@code len} bytes of {@code b} from {@code off}: an integer entry if they are a canonical integer. */
    public ListpackEncoder addString(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0 && len <= MAX_INT_TEXT) {
            long v = parseCanonical(b, off, len);
            if (v != NOT_INT || isNotIntSentinelText(b, off, len)) {
                return addInteger(v);
            }
        }
        ensure((long) len + 10);
        int start = pos;
        if (len < 64) {
            buf[pos++] = (byte) (0x80 | len);
        } else if (len < 4096) {
            buf[pos++] = (byte) (0xE0 | (len >>> 8));
            buf[pos++] = (byte) len;
        } else {
            buf[pos++] = (byte) 0xF0;
            LE.putU32(buf, pos, len);
            pos += 4;
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        finishEntry(start);
        return this;
    }

    /** Appends a whole array as a string entry (or integer entry, see {@link #addString(byte[], int, int)}). */
    public ListpackEncoder addString(byte[] b) {
        return addString(b, 0, b.length);
    }

    /** Appends an integer entry of the smallest encoding that holds {@code v}. */
    public ListpackEncoder addInteger(long v) {
        ensure(10);
        int start = pos;
        if (v >= 0 && v <= 127) {
            buf[pos++] = (byte) v;
        } else if (v >= -4096 && v <= 4095) {
            int x = (int) (v < 0 ? v + 8192 : v);
            buf[pos++] = (byte) (0xC0 | (x >>> 8));
            buf[pos++] = (byte) x;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            buf[pos++] = (byte) 0xF1;
            buf[pos++] = (byte) v;
            buf[pos++] = (byte) (v >>> 8);
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            buf[pos++] = (byte) 0xF2;
            buf[pos++] = (byte) v;
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) (v >>> 16);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            buf[pos++] = (byte) 0xF3;
            LE.putU32(buf, pos, v);
            pos += 4;
        } else {
            buf[pos++] = (byte) 0xF4;
            LE.putU32(buf, pos, v);
            LE.putU32(buf, pos + 4, v >>> 32);
            pos += 8;
        }
        finishEntry(start);
        return this;
    }

    /** Entries appended since the last reset. */
    public int size() {
        return count;
    }

    /** Size of the finished listpack in bytes (header, entries, terminator). */
    public int byteSize() {
        return pos + 1;
    }

    /** The finished listpack as a new array. */
    public byte[] toByteArray() {
        byte[] out = new byte[byteSize()];
        copyTo(out, 0);
        return out;
    }

    /** Writes the finished listpack into {@code dst} from {@code off} and returns its size. */
    public int copyTo(byte[] dst, int off) {
        int n = byteSize();
        Objects.checkFromIndexSize(off, n, dst.length);
        LE.putU32(buf, 0, n);
        LE.putU16(buf, 4, Math.min(count, ListpackDecoder.UNKNOWN_COUNT));
        System.arraycopy(buf, 0, dst, off, n - 1);
        dst[off + n - 1] = (byte) ListpackDecoder.END;
        return n;
    }

    private void finishEntry(int start) {
        long size = pos - start;
        int bl = ListpackDecoder.backlenSize(size);
        ListpackDecoder.writeBacklen(buf, pos, size, bl);
        pos += bl;
        count++;
    }

    /** Makes room for {@code extra} more bytes plus the terminator. */
    private void ensure(long extra) {
        long need = pos + extra + 1;
        if (need > buf.length) {
            if (need > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("listpack larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * buf.length)));
        }
    }

    private static final long NOT_INT = Long.MIN_VALUE;

    private static final byte[] MIN_TEXT = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private static boolean isNotIntSentinelText(byte[] b, int off, int len) {
        return len == MIN_TEXT.length && Arrays.equals(b, off, off + len, MIN_TEXT, 0, len);
    }

    /**
     * The value of a canonical decimal integer (what Redis's string2ll accepts: optional '-', no leading
     * zeros or '+', no "-0", fits 64 bits), or {@link #NOT_INT}. "-9223372036854775808" also yields
     * NOT_INT; the caller tells the two apart.
     */
    static long parseCanonical(byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        boolean neg = false;
        if (b[p] == '-') {
            neg = true;
            if (++p == end) {
                return NOT_INT;
            }
        }
        int d0 = b[p] - '0';
        if (d0 == 0) {
            return len == 1 ? 0 : NOT_INT;
        }
        if (d0 < 1 || d0 > 9) {
            return NOT_INT;
        }
        // accumulate negatively so Long.MIN_VALUE fits
        long acc = -d0;
        p++;
        while (p < end) {
            int d = b[p++] - '0';
            if (d < 0 || d > 9) {
                return NOT_INT;
            }
            if (acc < Long.MIN_VALUE / 10) {
                return NOT_INT;
            }
            acc *= 10;
            if (acc < Long.MIN_VALUE + d) {
                return NOT_INT;
            }
            acc -= d;
        }
        if (neg) {
            return acc;
        }
        return acc == Long.MIN_VALUE ? NOT_INT : -acc;
    }
}
