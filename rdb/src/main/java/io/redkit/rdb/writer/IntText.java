package io.redkit.rdb.writer;

/**
 * Canonical decimal integer text, as Redis's string2ll accepts it (no '+', no leading zeros,
 * no "-0"), parsed without allocation.
 */
final class IntText {
    /** Returned when the text is not a canonical integer; Long.MIN_VALUE itself is told apart by {@link #isMinSentinel}. */
    static final long NOT_AN_INT = Long.MIN_VALUE;
    private static final byte[] MIN_TEXT = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private IntText() {
    }

    /** The value of a canonical integer text, or {@link #NOT_AN_INT}. */
    static long parse(byte[] b, int off, int len) {
        if (len == 0 || len > 20) {
            return NOT_AN_INT;
        }
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            i++;
            if (i == end) {
                return NOT_AN_INT;
            }
        }
        if (b[i] == '0' && (end - i > 1 || neg)) {
            return NOT_AN_INT;
        }
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_AN_INT;
            }
            // accumulate negatively so that Long.MIN_VALUE fits
            if (v < (Long.MIN_VALUE + d) / 10) {
                return NOT_AN_INT;
            }
            v = v * 10 - d;
        }
        if (neg) {
            return v;
        }
        return v == Long.MIN_VALUE ? NOT_AN_INT : -v;
    }

    /** True when the text is exactly "-9223372036854775808". */
    static boolean isMinSentinel(byte[] b, int off, int len) {
        return java.util.Arrays.equals(b, off, off + len, MIN_TEXT, 0, MIN_TEXT.length);
    }

    /** True when the text is a canonical integer. */
    static boolean isInt(byte[] b) {
        return parse(b, 0, b.length) != NOT_AN_INT || isMinSentinel(b, 0, b.length);
    }
}
