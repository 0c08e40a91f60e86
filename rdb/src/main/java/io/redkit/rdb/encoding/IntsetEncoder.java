package io.redkit.rdb.encoding;

/** Builds an intset blob with the smallest member width that holds every value, as Redis keeps it. */
public final class IntsetEncoder {
    private IntsetEncoder() {
    }

    /**
     * Encodes the first {@code n} values of {@code sortedDistinct}, which must be strictly ascending.
     *
     * @throws IllegalArgumentException when the values are not strictly ascending
     */
    public static byte[] encode(long[] sortedDistinct, int n) {
        if (n < 0 || n > sortedDistinct.length) {
            throw new IllegalArgumentException("n=" + n + " for " + sortedDistinct.length + " values");
        }
        for (int i = 1; i < n; i++) {
            if (sortedDistinct[i] <= sortedDistinct[i - 1]) {
                throw new IllegalArgumentException("values not strictly ascending at index " + i);
            }
        }
        int width = 2;
        if (n > 0) {
            width = Math.max(width(sortedDistinct[0]), width(sortedDistinct[n - 1]));
        }
        long size = IntsetDecoder.HEADER + (long) n * width;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("intset of " + n + " members is too large");
        }
        byte[] out = new byte[(int) size];
        LE.putU32(out, 0, width);
        LE.putU32(out, 4, n);
        int p = IntsetDecoder.HEADER;
        for (int i = 0; i < n; i++) {
            long v = sortedDistinct[i];
            for (int k = 0; k < width; k++) {
                out[p++] = (byte) (v >>> (8 * k));
            }
        }
        return out;
    }

    private static int width(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 2;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 4;
        }
        return 8;
    }
}
