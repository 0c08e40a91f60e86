package io.redkit.diff;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Hash128Test {
    private static long[] h(byte[] b, int len) {
        long[] out = new long[2];
        Hash128.hash(b, len, out);
        return out;
    }

    @Test
    void everyByteOfEveryLengthCounts() {
        Random r = new Random(1);
        for (int len = 0; len <= 70; len++) {
            byte[] b = new byte[len + 5];
            r.nextBytes(b);
            long[] base = h(b, len);
            assertArrayEquals(base, h(b.clone(), len), "deterministic");
            for (int i = 0; i < len; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] c = b.clone();
                    c[i] ^= (byte) (1 << bit);
                    long[] x = h(c, len);
                    assertTrue(x[0] != base[0] && x[1] != base[1], "len " + len + " byte " + i + " bit " + bit);
                }
            }
            // bytes past len are not part of the input
            byte[] d = b.clone();
            d[len] ^= 1;
            assertArrayEquals(base, h(d, len));
        }
    }

    @Test
    void lengthsOfZerosDifferAndOutputsSpread() {
        Set<Long> seen = new HashSet<>();
        for (int len = 0; len < 200; len++) {
            long[] x = h(new byte[len], len);
            assertTrue(seen.add(x[0]) && seen.add(x[1]), "length " + len);
        }
        // each output bit is set about half the time over many inputs
        int[] ones = new int[128];
        Random r = new Random(2);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[r.nextInt(24)];
            r.nextBytes(b);
            long[] x = h(b, b.length);
            for (int bit = 0; bit < 64; bit++) {
                ones[bit] += (int) ((x[0] >>> bit) & 1);
                ones[64 + bit] += (int) ((x[1] >>> bit) & 1);
            }
        }
        for (int bit = 0; bit < 128; bit++) {
            assertTrue(Math.abs(ones[bit] - n / 2) < n / 20, "bit " + bit + ": " + ones[bit]);
        }
        assertNotEquals(h(new byte[] {1}, 1)[0], h(new byte[] {1, 0}, 2)[0]);
        assertEquals(2, h(new byte[0], 0).length);
    }
}
