package io.redkit.live.target;

/** Sorted-set scores as command arguments Redis reads back to the same double. */
final class Scores {
    private Scores() {
    }

    /** Integers without a fraction, inf/-inf, else Java's round-trip decimal (which strtod reads exactly). */
    static String text(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && 1 / d < 0)) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
