package io.redkit.kv;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Parsing and printing of doubles the way Redis does it for scores and INCRBYFLOAT. */
final class Floats {
    private Floats() {
    }

    /**
     * Parses a Redis float argument: decimal or exponent form, or inf/+inf/-inf (any case); no spaces, no NaN, no
     * Java suffixes. Returns NaN when the text is not a valid float.
     */
    static double parse(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 5000) {
            return Double.NaN;
        }
        int i = 0;
        boolean neg = false;
        if (b[0] == '+' || b[0] == '-') {
            neg = b[0] == '-';
            i = 1;
        }
        int rest = n - i;
        if (rest == 3 || rest == 8) {
            String s = new String(b, i, rest, StandardCharsets.US_ASCII);
            if (s.equalsIgnoreCase("inf") || s.equalsIgnoreCase("infinity")) {
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        boolean digits = false;
        for (int j = i; j < n; j++) {
            int c = b[j];
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return Double.NaN;
            }
        }
        if (!digits) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(new String(b, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * A score as Redis 7.2+ prints it: the shortest text that reads back to the same double, integers without a
     * fraction, exponent form outside [1e-5, 1e17), {@code inf}/{@code -inf}.
     */
    static String format(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        double a = Math.abs(d);
        if (d == Math.rint(d) && a < 1e17) {
            return Long.toString((long) d);
        }
        BigDecimal bd = new BigDecimal(Double.toString(d));
        if (a >= 1e-5 && a < 1e17) {
            return bd.stripTrailingZeros().toPlainString();
        }
        // d.ddde+XX like printf's %g
        bd = bd.stripTrailingZeros();
        String unscaled = bd.unscaledValue().abs().toString();
        int exp = unscaled.length() - 1 - bd.scale();
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        sb.append(unscaled.charAt(0));
        if (unscaled.length() > 1) {
            sb.append('.').append(unscaled, 1, unscaled.length());
        }
        sb.append('e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) {
            sb.append('0');
        }
        sb.append(e);
        return sb.toString();
    }

    /** INCRBYFLOAT's form: plain decimal without exponent, trailing zeros and point removed. */
    static String formatPlain(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        String s = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        return s;
    }

    static byte[] formatBytes(double d) {
        return format(d).getBytes(StandardCharsets.US_ASCII);
    }
}
