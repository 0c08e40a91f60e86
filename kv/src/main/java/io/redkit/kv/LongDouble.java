package io.redkit.kv;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * INCRBYFLOAT/HINCRBYFLOAT arithmetic as redis-server does it on x86-64: operands rounded to an 80-bit long double
 * (64-bit significand), their sum rounded again, printed with 17 fractional digits and trailing zeros removed.
 * A double sum prints differently ({@code 1.6 + -1e3}), so the values are kept exact as q / 2^k.
 */
final class LongDouble {
    private static final int BITS = 64;
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(BITS);
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(BITS - 1);

    /** The value q * 2^-k; q has at most 64 bits (0 for zero). */
    private final BigInteger q;
    private final int k;

    private LongDouble(BigInteger q, int k) {
        this.q = q;
        this.k = k;
    }

    /** A text that reads as infinity (inf, -Infinity, ...): valid as a float, yet never a result. */
    static final LongDouble INF = new LongDouble(BigInteger.ZERO, Integer.MIN_VALUE);

    /**
     * The text's value rounded to a long double as strtold reads it; {@link #INF} for an infinity literal, null when
     * Redis refuses it (not a decimal float, or out of the long double range).
     */
    static LongDouble parse(byte[] text) {
        double d = Floats.parse(text);
        if (Double.isNaN(d)) {
            return null;
        }
        boolean digits = false;
        for (byte c : text) {
            digits |= c >= '0' && c <= '9';
        }
        if (!digits) {
            return INF;
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(new String(text, StandardCharsets.US_ASCII));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        if (exact.signum() == 0) {
            return new LongDouble(BigInteger.ZERO, 0);
        }
        long exp10 = (long) exact.precision() - exact.scale() - 1;
        if (exp10 > 4933 || exp10 < -4952) {
            return null; // strtold's range error: HUGE_VAL or 0, both refused
        }
        LongDouble v = exact.scale() <= 0 ? round(exact.toBigIntegerExact(), BigInteger.ONE)
                : round(exact.unscaledValue(), BigInteger.TEN.pow(exact.scale()));
        return v.overflows() ? null : v;
    }

    /** num / den (den > 0) rounded to 64 significant bits, ties to even. */
    private static LongDouble round(BigInteger num, BigInteger den) {
        int sign = num.signum();
        if (sign == 0) {
            return new LongDouble(BigInteger.ZERO, 0);
        }
        BigInteger n = num.abs();
        int k = BITS - 1 - (n.bitLength() - den.bitLength());
        while (true) {
            BigInteger a = k >= 0 ? n.shiftLeft(k) : n;
            BigInteger b = k >= 0 ? den : den.shiftLeft(-k);
            BigInteger[] qr = a.divideAndRemainder(b);
            BigInteger qv = qr[0];
            if (qv.compareTo(TWO_64) >= 0) {
                k--;
                continue;
            }
            if (qv.compareTo(TWO_63) < 0) {
                k++;
                continue;
            }
            int c = qr[1].shiftLeft(1).compareTo(b);
            if (c > 0 || (c == 0 && qv.testBit(0))) {
                qv = qv.add(BigInteger.ONE);
                if (qv.equals(TWO_64)) {
                    qv = TWO_63;
                    k--;
                }
            }
            return new LongDouble(sign < 0 ? qv.negate() : qv, k);
        }
    }

    /** The sum, rounded to a long double. */
    LongDouble add(LongDouble o) {
        int m = Math.max(k, o.k);
        BigInteger s = q.shiftLeft(m - k).add(o.q.shiftLeft(m - o.k));
        return m >= 0 ? round(s, BigInteger.ONE.shiftLeft(m)) : round(s.shiftLeft(-m), BigInteger.ONE);
    }

    /** True beyond the long double range (about 1.19e4932), where redis-server gets infinity. */
    boolean overflows() {
        return q.signum() != 0 && q.abs().bitLength() - k > 16384;
    }

    /** As {@code %.17Lf} with trailing zeros (and a bare point) removed, and -0 printed as 0. */
    String format() {
        BigDecimal exact = k >= 0 ? new BigDecimal(q.multiply(BigInteger.valueOf(5).pow(k)), k)
                : new BigDecimal(q.shiftLeft(-k));
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
