package io.redkit.kv;

import java.util.Arrays;

/**
 * HyperLogLog strings byte for byte as redis-server (5 and later) writes them, so PFADD/PFMERGE/PFCOUNT results
 * dump and compare equal to Redis's. Layout:
 * <pre>
 * "HYLL" | encoding (0 dense, 1 sparse) | 3 unused | cached cardinality, 8 bytes little endian (top bit: stale)
 * dense:  16384 registers of 6 bits, least significant bits first
 * sparse: opcodes  00xxxxxx ZERO (1..64 zero registers)  01xxxxxx yyyyyyyy XZERO (1..16384)
 *                  1vvvvvxx VAL (value 1..32 repeated 1..4 times)
 * </pre>
 * Register index and run length come from MurmurHash64A (seed 0xadc83b19) of the element; the sparse form is
 * turned dense when a value exceeds 32 or it would grow past 3000 bytes (hll-sparse-max-bytes). Arrays are never
 * changed in place: every change returns a new array.
 */
final class Hll {
    static final int P = 14;
    static final int REGISTERS = 1 << P;
    static final int Q = 64 - P;
    static final int HDR = 16;
    static final int DENSE_SIZE = HDR + (REGISTERS * 6 + 7) / 8;
    static final int SPARSE_MAX_BYTES = 3000;
    static final int SPARSE_VAL_MAX = 32;
    static final int SPARSE_VAL_MAX_LEN = 4;
    static final int ZERO_MAX_LEN = 64;
    static final int XZERO_MAX_LEN = 16384;
    static final String WRONG = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    private Hll() {
    }

    /** A new empty sparse HLL (cached cardinality 0, valid), as createHLLObject. */
    static byte[] create() {
        byte[] b = new byte[HDR + 2];
        header(b, 1);
        b[HDR] = (byte) (((XZERO_MAX_LEN - 1) >> 8) | 0x40);
        b[HDR + 1] = (byte) 0xFF;
        return b;
    }

    private static void header(byte[] b, int encoding) {
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = (byte) encoding;
    }

    /** True when the string is an HLL Redis would accept (isHLLObjectOrReply). */
    static boolean valid(byte[] b) {
        if (b.length < HDR || b[0] != 'H' || b[1] != 'Y' || b[2] != 'L' || b[3] != 'L' || (b[4] & 0xFF) > 1) {
            return false;
        }
        return b[4] != 0 || b.length == DENSE_SIZE;
    }

    static boolean dense(byte[] b) {
        return b[4] == 0;
    }

    static void invalidateCache(byte[] b) {
        b[15] |= (byte) 0x80;
    }

    static boolean cacheValid(byte[] b) {
        return (b[15] & 0x80) == 0;
    }

    static long cached(byte[] b) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[8 + i] & 0xFF);
        }
        return v;
    }

    static void cache(byte[] b, long card) {
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    /** MurmurHash64A as Redis's (little-endian words). */
    static long murmur64a(byte[] key) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = (0xadc83b19L) ^ (len * m);
        int n = len - (len & 7);
        for (int i = 0; i < n; i += 8) {
            long k = (key[i] & 0xFFL) | (key[i + 1] & 0xFFL) << 8 | (key[i + 2] & 0xFFL) << 16
                    | (key[i + 3] & 0xFFL) << 24 | (key[i + 4] & 0xFFL) << 32 | (key[i + 5] & 0xFFL) << 40
                    | (key[i + 6] & 0xFFL) << 48 | (key[i + 7] & 0xFFL) << 56;
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = len & 7;
        if (rest > 0) {
            for (int i = rest - 1; i >= 0; i--) {
                h ^= (key[n + i] & 0xFFL) << (8 * i);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** Register index (low 32 bits) and run length of zeros plus one (high 32 bits) of an element. */
    static long patLen(byte[] ele) {
        long hash = murmur64a(ele);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = 1;
        long bit = 1;
        while ((hash & bit) == 0) {
            count++;
            bit <<= 1;
        }
        return (long) count << 32 | index;
    }

    // ---- dense registers

    static int denseGet(byte[] b, int reg) {
        int bytePos = HDR + reg * 6 / 8;
        int fb = reg * 6 & 7;
        int b0 = b[bytePos] & 0xFF;
        int b1 = bytePos + 1 < b.length ? b[bytePos + 1] & 0xFF : 0;
        return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
    }

    static void denseSet(byte[] b, int reg, int val) {
        int bytePos = HDR + reg * 6 / 8;
        int fb = reg * 6 & 7;
        int fb8 = 8 - fb;
        b[bytePos] = (byte) ((b[bytePos] & ~(63 << fb)) | (val << fb));
        if (bytePos + 1 < b.length) {
            b[bytePos + 1] = (byte) ((b[bytePos + 1] & ~(63 >> fb8)) | (val >> fb8));
        }
    }

    /** The sparse HLL as dense (header copied, encoding dense); null when the opcodes are corrupt. */
    static byte[] toDense(byte[] b) {
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, d, 0, HDR);
        d[4] = 0;
        int idx = 0;
        int p = HDR;
        while (p < b.length) {
            int op = b[p] & 0xFF;
            if ((op & 0xC0) == 0) {
                idx += (op & 0x3F) + 1;
                p++;
            } else if ((op & 0xC0) == 0x40) {
                if (p + 1 >= b.length) {
                    return null;
                }
                idx += ((op & 0x3F) << 8 | (b[p + 1] & 0xFF)) + 1;
                p += 2;
            } else {
                int runlen = (op & 3) + 1;
                int val = ((op >> 2) & 0x1F) + 1;
                if (idx + runlen > REGISTERS) {
                    return null;
                }
                for (int k = 0; k < runlen; k++) {
                    denseSet(d, idx++, val);
                }
                p++;
            }
            if (idx > REGISTERS) {
                return null;
            }
        }
        return idx == REGISTERS ? d : null;
    }

    /** The result of setting a register: the (possibly new) array, and whether a register changed. */
    record Set(byte[] hll, boolean updated) {
    }

    /**
     * Sets register {@code index} to {@code count} if larger (hllSparseSet / hllDenseSet): the array is copied
     * first. Null when the sparse opcodes are corrupt.
     */
    static Set set(byte[] b, int index, int count) {
        if (dense(b)) {
            if (count <= denseGet(b, index)) {
                return new Set(b, false);
            }
            byte[] d = b.clone();
            denseSet(d, index, count);
            return new Set(d, true);
        }
        if (count > SPARSE_VAL_MAX) {
            return promote(b, index, count);
        }
        // find the opcode covering the register
        int p = HDR;
        int end = b.length;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int op = b[p] & 0xFF;
            int oplen;
            if ((op & 0xC0) == 0) {
                span = (op & 0x3F) + 1;
                oplen = 1;
            } else if ((op & 0x80) != 0) {
                span = (op & 3) + 1;
                oplen = 1;
            } else {
                if (p + 1 >= end) {
                    return null;
                }
                span = ((op & 0x3F) << 8 | (b[p + 1] & 0xFF)) + 1;
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return null;
        }
        int op = b[p] & 0xFF;
        boolean isZero = (op & 0xC0) == 0;
        boolean isXzero = (op & 0xC0) == 0x40;
        boolean isVal = (op & 0x80) != 0;
        int runlen = span;
        byte[] out;
        if (isVal) {
            int old = ((op >> 2) & 0x1F) + 1;
            if (old >= count) {
                return new Set(b, false);
            }
            if (runlen == 1) {
                out = b.clone();
                out[p] = val(count, 1);
                return new Set(merge(out, prev), true);
            }
        }
        if (isZero && runlen == 1) {
            out = b.clone();
            out[p] = val(count, 1);
            return new Set(merge(out, prev), true);
        }
        // the general case: the opcode becomes up to three (before, the register, after)
        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (isZero || isXzero) {
            if (index != first) {
                n = zeros(seq, n, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                n = zeros(seq, n, last - index);
            }
        } else {
            int cur = ((op >> 2) & 0x1F) + 1;
            if (index != first) {
                seq[n++] = val(cur, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                seq[n++] = val(cur, last - index);
            }
        }
        int oldLen = isXzero ? 2 : 1;
        int delta = n - oldLen;
        if (delta > 0 && b.length + delta > SPARSE_MAX_BYTES) {
            return promote(b, index, count);
        }
        out = new byte[b.length + delta];
        System.arraycopy(b, 0, out, 0, p);
        System.arraycopy(seq, 0, out, p, n);
        System.arraycopy(b, p + oldLen, out, p + n, b.length - p - oldLen);
        return new Set(merge(out, prev), true);
    }

    private static int zeros(byte[] seq, int n, int len) {
        if (len > ZERO_MAX_LEN) {
            int l = len - 1;
            seq[n++] = (byte) ((l >> 8) | 0x40);
            seq[n++] = (byte) (l & 0xFF);
        } else {
            seq[n++] = (byte) (len - 1);
        }
        return n;
    }

    private static byte val(int v, int len) {
        return (byte) (((v - 1) << 2 | (len - 1)) | 0x80);
    }

    private static Set promote(byte[] b, int index, int count) {
        byte[] d = toDense(b);
        if (d == null) {
            return null;
        }
        if (count > denseGet(d, index)) {
            denseSet(d, index, count);
        }
        return new Set(d, true);
    }

    /** Merges adjacent VAL opcodes of the same value, scanning up to 5 opcodes from {@code prev} (as Redis). */
    private static byte[] merge(byte[] b, int prev) {
        int p = prev >= 0 ? prev : HDR;
        int end = b.length;
        int scan = 5;
        while (p < end && scan-- > 0) {
            int op = b[p] & 0xFF;
            if ((op & 0xC0) == 0x40) {
                p += 2;
                continue;
            }
            if ((op & 0xC0) == 0) {
                p++;
                continue;
            }
            if (p + 1 < end && (b[p + 1] & 0x80) != 0) {
                int v1 = ((op >> 2) & 0x1F) + 1;
                int op2 = b[p + 1] & 0xFF;
                int v2 = ((op2 >> 2) & 0x1F) + 1;
                if (v1 == v2) {
                    int len = (op & 3) + 1 + (op2 & 3) + 1;
                    if (len <= SPARSE_VAL_MAX_LEN) {
                        b[p + 1] = val(v1, len);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        return end == b.length ? b : Arrays.copyOf(b, end);
    }

    /** Register values into {@code max} (the larger of each); false when the opcodes are corrupt. */
    static boolean mergeInto(byte[] b, int[] max) {
        if (dense(b)) {
            for (int i = 0; i < REGISTERS; i++) {
                max[i] = Math.max(max[i], denseGet(b, i));
            }
            return true;
        }
        int idx = 0;
        int p = HDR;
        while (p < b.length) {
            int op = b[p] & 0xFF;
            if ((op & 0xC0) == 0) {
                idx += (op & 0x3F) + 1;
                p++;
            } else if ((op & 0xC0) == 0x40) {
                if (p + 1 >= b.length) {
                    return false;
                }
                idx += ((op & 0x3F) << 8 | (b[p + 1] & 0xFF)) + 1;
                p += 2;
            } else {
                int runlen = (op & 3) + 1;
                int v = ((op >> 2) & 0x1F) + 1;
                if (idx + runlen > REGISTERS) {
                    return false;
                }
                for (int k = 0; k < runlen; k++, idx++) {
                    max[idx] = Math.max(max[idx], v);
                }
                p++;
            }
            if (idx > REGISTERS) {
                return false;
            }
        }
        return idx == REGISTERS;
    }

    /** The cardinality estimate of registers (Ertl's improved estimator, as Redis 5+'s hllCount); -1 if corrupt. */
    static long count(byte[] b) {
        int[] regs = new int[REGISTERS];
        if (!mergeInto(b, regs)) {
            return -1;
        }
        return countRegisters(regs);
    }

    static long countRegisters(int[] regs) {
        int[] histo = new int[64];
        for (int r : regs) {
            histo[r]++;
        }
        double m = REGISTERS;
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(0.721347520444481703680 * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= Math.pow(1 - x, 2) * y;
        } while (zPrime != z);
        return z / 3;
    }
}
