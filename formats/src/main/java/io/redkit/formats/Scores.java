package io.redkit.formats;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Text forms of sorted-set scores shared by every sink, so that a score always reads back as
 * the same double: integral values below 2^53 as integers, others as the shortest text that
 * round-trips (Schubfach, independent of the JDK's {@code Double.toString}), infinities as
 * {@code inf} / {@code -inf}.
 */
public final class Scores {
    /** Largest magnitude printed as an integer; above it a double has no unique integer text worth keeping. */
    private static final double MAX_EXACT = 9007199254740992.0; // 2^53

    private Scores() {
    }

    /** True when the score is printed as a JSON integer (integral and below 2^53 in magnitude). */
    public static boolean isSmallIntegral(double d) {
        return d == Math.rint(d) && Math.abs(d) < MAX_EXACT;
    }

    /** The shortest decimal text that parses back to exactly {@code d} (finite values only). */
    public static String shortest(double d) {
        return NumberOutput.toString(d, true);
    }

    /** The score as Redis accepts it in ZADD: {@code inf}, {@code -inf}, an integer or the shortest round-trip text. */
    public static String redisText(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (isSmallIntegral(d)) {
            // -0.0 prints as 0, which Redis treats as the same score
            return Long.toString((long) d);
        }
        return shortest(d);
    }

    /** Numeric order of scores with -0.0 equal to 0.0, as Redis compares them. */
    public static int compare(double a, double b) {
        return a < b ? -1 : a > b ? 1 : 0;
    }
}
