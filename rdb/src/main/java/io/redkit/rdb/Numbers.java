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
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a score stored as text ({@code "1.5"}, {@code "inf"}, {@code "-inf"}); returns NaN when
     * the text is not a number (callers treat NaN as corrupt, as Redis does).
     */
    public static double parseDouble(byte[] b, int off, int len) {
        if (len == 0 || len > 400) {
            return Double.NaN;
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
