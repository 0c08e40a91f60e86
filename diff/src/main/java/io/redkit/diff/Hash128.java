package io.redkit.diff;

/**
 * A fast 128-bit hash of a byte range (the MurmurHash3 x64 128-bit algorithm), used for the elements of
 * sets, hashes and sorted sets, whose hashes are added up: it must spread well, not resist attackers,
 * and costs a fraction of a SHA-256 per small element.
 */
final class Hash128 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Hash128() {
    }

    /** Hashes {@code b[0, len)}; the two halves go to {@code out[0]} and {@code out[1]}. */
    static void hash(byte[] b, int len, long[] out) {
        long h1 = 0x9368e53c2f6af274L;
        long h2 = 0x586dcd208f7cd3fdL;
        int blocks = len >>> 4;
        for (int i = 0; i < blocks; i++) {
            int o = i << 4;
            long k1 = getLongLe(b, o);
            long k2 = getLongLe(b, o + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks << 4;
        int rest = len - tail;
        if (rest > 0) {
            long k1 = 0;
            long k2 = 0;
            for (int i = rest - 1; i >= 8; i--) {
                k2 = (k2 << 8) | (b[tail + i] & 0xFFL);
            }
            for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
                k1 = (k1 << 8) | (b[tail + i] & 0xFFL);
            }
            h2 ^= mixK2(k2);
            h1 ^= mixK1(k1);
        }
        h1 ^= len;
        h2 ^= len;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        out[0] = h1;
        out[1] = h2;
    }

    private static long mixK1(long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        return k * C2;
    }

    private static long mixK2(long k) {
        k *= C2;
        k = Long.rotateLeft(k, 33);
        return k * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long getLongLe(byte[] b, int o) {
        return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24
                | (b[o + 4] & 0xFFL) << 32 | (b[o + 5] & 0xFFL) << 40 | (b[o + 6] & 0xFFL) << 48
                | (b[o + 7] & 0xFFL) << 56;
    }
}
