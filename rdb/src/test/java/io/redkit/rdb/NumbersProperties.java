package io.redkit.rdb;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fast number paths agree with the JDK on every input. */
class NumbersProperties {
    @Property(tries = 3000)
    void decimalMatchesLongToString(@ForAll long v) {
        assertEquals(Long.toString(v), new String(Numbers.decimal(v), StandardCharsets.US_ASCII));
    }

    @Property(tries = 3000)
    void parseDoubleMatchesTheJdk(@ForAll double d) {
        for (String s : new String[] {Double.toString(d), String.format("%.17g", d), String.format("%.3f", d)}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            double expected = s.contains("Infinity") || s.contains("NaN") ? Double.NaN : Double.parseDouble(s);
            if (!Double.isNaN(expected)) {
                assertEquals(expected, Numbers.parseDouble(b, 0, b.length), s);
            }
        }
    }

    @Property(tries = 3000)
    void shortDecimalsTakeTheFastPathExactly(@ForAll @IntRange(min = -999_999_999, max = 999_999_999) int mant,
                                             @ForAll @IntRange(min = 0, max = 9) int scale) {
        String s = new java.math.BigDecimal(java.math.BigInteger.valueOf(mant), scale).toPlainString();
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        assertEquals(Double.parseDouble(s), Numbers.parseDouble(b, 0, b.length), s);
    }

    @Property(tries = 5000)
    void seventeenDigitScoresMatchTheJdkBitForBit(@ForAll double d) {
        // Redis writes non-integral scores with %.17g; 17 digits are beyond the Clinger fast path
        for (String s : new String[] {String.format("%.17g", d), String.format("%.16e", d), Double.toString(d),
            String.format("%.17g", d * 1e-300), String.format("%.17g", d * 1e300)}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            double lemire = Numbers.eiselLemire(b, 0, b.length);
            if (!Double.isNaN(lemire)) {
                assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(lemire), s);
            }
        }
    }

    @Property(tries = 5000)
    void anyNineteenDigitDecimalMatchesTheJdk(@ForAll long mant, @ForAll @IntRange(min = -360, max = 360) int exp) {
        String s = mant + "e" + exp;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        double lemire = Numbers.eiselLemire(b, 0, b.length);
        if (!Double.isNaN(lemire)) {
            assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(lemire), s);
        }
        assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(Numbers.parseDouble(b, 0, b.length)), s);
    }

    @Test
    void eiselLemireTakesTypicalScoresAndLeavesOddTextToTheJdk() {
        for (String s : new String[] {"123.45678901234567", "0.10000000000000001", "-999999.99999999988", "1e22",
            "17976931348623157e292", "0.00000000000000000000000000000012345678901234567"}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            double lemire = Numbers.eiselLemire(b, 0, b.length);
            assertEquals(Double.parseDouble(s), lemire, s);
        }
        for (String s : new String[] {"", ".", "-", "1e", "1e+", "1.2.3", "12345678901234567890", "1x", "1e99999"}) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertEquals(true, Double.isNaN(Numbers.eiselLemire(b, 0, b.length)), s);
        }
        assertEquals(Double.POSITIVE_INFINITY, Numbers.parseDouble("1e99999".getBytes(), 0, 7));
        assertEquals(0.5, Numbers.parseDouble(".5".getBytes(), 0, 2));
        assertEquals(true, Double.isNaN(Numbers.parseDouble("1e".getBytes(), 0, 2)));
    }

    @Test
    void specialScores() {
        assertEquals(Double.POSITIVE_INFINITY, Numbers.parseDouble("inf".getBytes(), 0, 3));
        assertEquals(Double.NEGATIVE_INFINITY, Numbers.parseDouble("-inf".getBytes(), 0, 4));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(Numbers.parseDouble("-0".getBytes(), 0, 2)));
        assertEquals(true, Double.isNaN(Numbers.parseDouble("1x".getBytes(), 0, 2)));
        assertEquals(true, Double.isNaN(Numbers.parseDouble("0x10".getBytes(), 0, 4)));
        assertEquals("1.5", Numbers.formatDouble(1.5));
        assertEquals("3", Numbers.formatDouble(3.0));
        assertEquals("inf", Numbers.formatDouble(Double.POSITIVE_INFINITY));
    }
}
