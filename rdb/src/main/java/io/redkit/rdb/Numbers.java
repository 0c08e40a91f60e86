package io.redkit.rdb;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Number text conversions of the RDB format: integers to decimal bytes, score text to doubles. */
public final class Numbers {
    private static final int CACHE = 1024;
    private static final byte[][] SMALL = new byte[CACHE][];

    static {
        for (int i = 0; i < CACHE; i++) {
            SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Numbers() {
    }

    /**
     * The decimal text of {@code v} as bytes. Small values share cached arrays, so callers must not
     * modify the result.
     */
    public static byte[] decimal(long v) {
        if (v >= 0 && v < CACHE) {
            return SMALL[(int) v];
        }
        if (v == Long.MIN_VALUE) {
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
        // digits written straight into the result, two at a time: this runs for every integer entry
        boolean neg = v < 0;
        long u = neg ? -v : v;
        int n = digits(u);
        byte[] out = new byte[neg ? n + 1 : n];
        int i = out.length;
        while (u >= 100) {
            int r = (int) (u % 100);
            u /= 100;
            out[--i] = PAIRS[2 * r + 1];
            out[--i] = PAIRS[2 * r];
        }
        if (u >= 10) {
            out[--i] = PAIRS[2 * (int) u + 1];
            out[--i] = PAIRS[2 * (int) u];
        } else {
            out[--i] = (byte) ('0' + u);
        }
        if (neg) {
            out[0] = '-';
        }
        return out;
    }

    private static final byte[] PAIRS = new byte[200];
    private static final long[] POWERS = new long[19];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        long p = 1;
        for (int i = 0; i < 19; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    /** Number of decimal digits of a non-negative long. */
    private static int digits(long u) {
        int n = 1;
        while (n < 19 && u >= POWERS[n]) {
            n++;
        }
        return n;
    }

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * Exact fast path for plain decimals such as {@code 12}, {@code -3.25}: when the digits fit in
     * 2^53 and there are at most 22 fraction digits, one division of two exact doubles is correctly
     * rounded (Clinger). Returns NaN when the text is not of that shape.
     */
    private static double fastDecimal(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            i++;
        }
        long mant = 0;
        int digits = 0;
        int frac = -1;
        for (; i < end; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                mant = mant * 10 + (c - '0');
                if (++digits > 15) {
                    return Double.NaN;
                }
                if (frac >= 0) {
                    frac++;
                }
            } else if (c == '.' && frac < 0) {
                frac = 0;
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double d = frac > 0 ? mant / POW10[frac] : mant;
        return neg ? -d : d;
    }

    /**
     * Parses a score stored as text ({@code "1.5"}, {@code "inf"}, {@code "-inf"}); returns NaN when
     * the text is not a number (callers treat NaN as corrupt, as Redis does).
     */
    public static double parseDouble(byte[] b, int off, int len) {
        if (len == 0 || len > 400) {
            return Double.NaN;
        }
        double fast = fastDecimal(b, off, len);
        if (!Double.isNaN(fast)) {
            return fast;
        }
        String s = new String(b, off, len, StandardCharsets.US_ASCII);
        switch (s.toLowerCase()) {
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // Java accepts suffixes like 'd' and hex floats that Redis's strtod text never holds
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The shortest text that reads back as the same double, in plain notation where Redis would
     * print it so: integral values without a fraction, {@code inf}/{@code -inf} for infinities.
     */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        String s = Double.toString(d);
        if (s.indexOf('E') < 0) {
            return s;
        }
        double abs = Math.abs(d);
        if (abs >= 1e-5 && abs < 1e17) {
            return new BigDecimal(s).toPlainString();
        }
        // keep scientific notation for very large and very small values, as %.17g does
        return s.replace("E", "e");
    }
}
