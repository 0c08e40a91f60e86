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

    /** Decimal exponents the 128-bit power table covers. */
    private static final int MIN_EXP10 = -348;
    private static final int MAX_EXP10 = 347;
    /**
     * For each power of ten 10^q (q from {@link #MIN_EXP10}): the 128 most significant bits of its
     * binary mantissa, truncated; high word at 2i, low word at 2i+1.
     */
    private static final long[] POW10_128 = new long[2 * (MAX_EXP10 - MIN_EXP10 + 1)];

    static {
        java.math.BigInteger five = java.math.BigInteger.valueOf(5);
        for (int q = MIN_EXP10; q <= MAX_EXP10; q++) {
            java.math.BigInteger m;
            if (q >= 0) {
                java.math.BigInteger p = five.pow(q);
                int bits = p.bitLength();
                m = bits > 128 ? p.shiftRight(bits - 128) : p.shiftLeft(128 - bits);
            } else {
                java.math.BigInteger p = five.pow(-q);
                // 2^k / 5^-q with k large enough that the quotient has at least 128 bits, then truncated
                int k = p.bitLength() + 128;
                m = java.math.BigInteger.ONE.shiftLeft(k).divide(p);
                m = m.shiftRight(m.bitLength() - 128);
            }
            int i = 2 * (q - MIN_EXP10);
            POW10_128[i] = m.shiftRight(64).longValue();
            POW10_128[i + 1] = m.longValue();
        }
    }

    /**
     * Exact parse of decimals with up to 19 significant digits, such as the 17-digit scores Redis
     * writes for non-integral zset members, by the Eisel-Lemire method (one or two 64x128-bit
     * products with a power-of-ten table). Returns NaN when the text is not a plain decimal of that
     * size or when the product cannot decide the rounding: the caller then falls back to the JDK.
     */
    static double eiselLemire(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean neg = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            neg = b[i] == '-';
            i++;
        }
        long mant = 0;
        int sig = 0;
        int digits = 0;
        int exp10 = 0;
        boolean dot = false;
        for (; i < end; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                digits++;
                if (mant != 0 || c != '0') {
                    if (++sig > 19) {
                        return Double.NaN;
                    }
                    mant = mant * 10 + (c - '0');
                }
                if (dot) {
                    exp10--;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < end) {
            if (b[i] != 'e' && b[i] != 'E') {
                return Double.NaN;
            }
            i++;
            boolean eneg = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            if (i == end) {
                return Double.NaN;
            }
            int e = 0;
            for (; i < end; i++) {
                int c = b[i] - '0';
                if (c < 0 || c > 9 || e > 10_000) {
                    return Double.NaN;
                }
                e = e * 10 + c;
            }
            exp10 += eneg ? -e : e;
        }
        if (mant == 0) {
            return neg ? -0.0 : 0.0;
        }
        if (exp10 < MIN_EXP10 || exp10 > MAX_EXP10) {
            return Double.NaN;
        }
        int clz = Long.numberOfLeadingZeros(mant);
        long man = mant << clz;
        long retExp2 = ((217706L * exp10) >> 16) + 64 + 1023 - clz;
        int t = 2 * (exp10 - MIN_EXP10);
        long xHi = unsignedMultiplyHigh(man, POW10_128[t]);
        long xLo = man * POW10_128[t];
        if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
            // the truncated table may hide a carry into the bits that decide rounding: use all 128 bits
            long yHi = unsignedMultiplyHigh(man, POW10_128[t + 1]);
            long yLo = man * POW10_128[t + 1];
            long mergedHi = xHi;
            long mergedLo = xLo + yHi;
            if (Long.compareUnsigned(mergedLo, xLo) < 0) {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                return Double.NaN;
            }
            xHi = mergedHi;
            xLo = mergedLo;
        }
        long msb = xHi >>> 63;
        long retMant = xHi >>> (msb + 9);
        retExp2 -= 1 ^ msb;
        if (xLo == 0 && (xHi & 0x1FF) == 0 && (retMant & 3) == 1) {
            return Double.NaN; // exactly half-way: leave the tie to the JDK
        }
        retMant += retMant & 1;
        retMant >>>= 1;
        if ((retMant >>> 53) > 0) {
            retMant >>>= 1;
            retExp2++;
        }
        if (retExp2 <= 0 || retExp2 >= 0x7FF) {
            return Double.NaN; // subnormal or overflow: rare, the JDK handles them
        }
        long bits = retExp2 << 52 | (retMant & 0x000F_FFFF_FFFF_FFFFL);
        double d = Double.longBitsToDouble(bits);
        return neg ? -d : d;
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
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
        fast = eiselLemire(b, off, len);
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
