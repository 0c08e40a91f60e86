package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * LZF as Redis uses it for compressed RDB strings (liblzf format): a decompressor that validates
 * every reference and a compressor whose output Redis's {@code lzf_decompress} reads.
 *
 * <pre>
 * literal run:   000LLLLL  L+1 bytes follow                      (1..32 literal bytes)
 * short match:   NNNooooo  oooooooo                              (N = 1..6: copy N+2 bytes)
 * long match:    111ooooo  nnnnnnnn  oooooooo                    (copy n+9 bytes, up to 264)
 *                distance back from the output cursor = o + 1     (1..8192)
 * </pre>
 */
public final class Lzf {
    /** Longest literal run one control byte can announce. */
    static final int MAX_LIT = 32;
    /** Farthest back a reference can reach. */
    static final int MAX_DISTANCE = 8192;
    /** Longest match one reference can copy (7 + 255 + 2). */
    static final int MAX_MATCH = 264;

    /** Unaligned 8-byte access to byte arrays (a static handle: no buffer per call). */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int HASH_LOG = 14;
    private static final int HASH_SIZE = 1 << HASH_LOG;

    /**
     * Per-thread hash table of 3-byte prefixes. Entries hold {@code base + position} so a table is
     * reused across calls without clearing: anything below the current call's base is stale.
     */
    private static final ThreadLocal<HashTable> TABLES = ThreadLocal.withInitial(HashTable::new);

    private Lzf() {
    }

    /**
     * Decompresses {@code inLen} bytes of {@code in} into exactly {@code outLen} bytes of {@code out}
     * from {@code outOff}, returning {@code outLen}.
     *
     * @throws RedkitException when the input ends inside an instruction, a reference points before
     *                         the output start, the output would overflow or ends up shorter
     */
    public static int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen,
                                 BlobContext ctx) throws RedkitException {
        Objects.checkFromIndexSize(inOff, inLen, in.length);
        Objects.checkFromIndexSize(outOff, outLen, out.length);
        int ip = inOff;
        final int inEnd = inOff + inLen;
        int op = outOff;
        final int outEnd = outOff + outLen;
        while (ip < inEnd) {
            final int at = ip;
            final int c = in[ip++] & 0xFF;
            if (c < MAX_LIT) {
                final int n = c + 1;
                if (n > inEnd - ip) {
                    throw ctx.corrupt(at - inOff, "literal run: found " + n + " bytes (expected at most "
                            + (inEnd - ip) + " left in the compressed input)");
                }
                if (n > outEnd - op) {
                    throw overflow(ctx, at - inOff, op - outOff, n, outLen);
                }
                if (outEnd - op >= MAX_LIT && inEnd - ip >= MAX_LIT) {
                    // copy whole 8-byte words past n: the extra bytes are rewritten by the next instructions
                    copyWords(in, ip, out, op, n);
                } else {
                    System.arraycopy(in, ip, out, op, n);
                }
                ip += n;
                op += n;
            } else {
                int n = c >>> 5;
                if (n == 7) {
                    if (ip >= inEnd) {
                        throw truncatedRef(ctx, at - inOff);
                    }
                    n += in[ip++] & 0xFF;
                }
                if (ip >= inEnd) {
                    throw truncatedRef(ctx, at - inOff);
                }
                final int back = ((c & 0x1F) << 8) + (in[ip++] & 0xFF) + 1;
                n += 2;
                final int ref = op - back;
                if (ref < outOff) {
                    throw ctx.corrupt(at - inOff, "back-reference: found distance " + back
                            + " (expected at most " + (op - outOff) + ", the bytes decompressed so far)");
                }
                if (n > outEnd - op) {
                    throw overflow(ctx, at - inOff, op - outOff, n, outLen);
                }
                if (back >= 8 && outEnd - op >= n + 8) {
                    // each 8-byte word is read from bytes already final, as back >= 8
                    copyWords(out, ref, out, op, n);
                } else {
                    // a reference closer than 8 repeats the last `back` bytes: byte by byte
                    for (int k = 0; k < n; k++) {
                        out[op + k] = out[ref + k];
                    }
                }
                op += n;
            }
        }
        if (op != outEnd) {
            throw ctx.corrupt(inLen, "decompressed length: found " + (op - outOff) + " (expected " + outLen + ")");
        }
        return outLen;
    }

    /**
     * Decompresses {@code len} bytes of {@code in} from {@code off} into a new array of exactly
     * {@code ulen} bytes. The caller bounds {@code ulen} by its limits before calling.
     */
    public static byte[] decompress(byte[] in, int off, int len, int ulen, BlobContext ctx) throws RedkitException {
        checkLengths(len, ulen, ctx);
        byte[] out = new byte[ulen];
        decompress(in, off, len, out, 0, ulen, ctx);
        return out;
    }

    /**
     * The checks {@link #decompress(byte[], int, int, int, BlobContext)} makes on the stated lengths
     * before it allocates, for callers that decompress into a buffer of their own.
     */
    public static void checkLengths(int len, int ulen, BlobContext ctx) throws RedkitException {
        if (ulen < 0) {
            throw ctx.corrupt(0, "uncompressed length: found " + ulen + " (expected at least 0)");
        }
        // Each compressed byte yields at most MAX_MATCH / 2 output bytes; refuse before allocating.
        if ((long) ulen > (long) len * (MAX_MATCH / 2) + 1) {
            throw ctx.corrupt(0, "uncompressed length: found " + ulen + " (expected at most "
                    + ((long) len * (MAX_MATCH / 2)) + " for " + len + " compressed bytes)");
        }
    }

    /**
     * Compresses {@code len} bytes of {@code in} from {@code off} into {@code out} from {@code outOff},
     * writing at most {@code outMax} bytes. Returns the compressed length, or 0 when the result does
     * not fit in {@code outMax} (or {@code len} is 0), like Redis's {@code lzf_compress}.
     */
    public static int compress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) {
        Objects.checkFromIndexSize(off, len, in.length);
        Objects.checkFromIndexSize(outOff, outMax, out.length);
        if (len == 0 || outMax < 2) {
            return 0;
        }
        HashTable ht = TABLES.get();
        final int[] tab = ht.table;
        final int base = ht.claim(len);
        final int end = off + len;
        final int outEnd = outOff + outMax;
        // the position of a 3-byte prefix is stored as base + (pos - off); stale entries are < base
        final int delta = base - off;

        int ip = off;
        int op = outOff;
        int lit = 0;
        int litPos = op++; // control byte of the current literal run, filled in when the run closes
        final int hashEnd = end - 2;
        while (ip < hashEnd) {
            final int h = hash(in, ip);
            final int stored = tab[h];
            tab[h] = ip + delta;
            final int ref = stored - delta;
            if (stored >= base && ref < ip && ip - ref <= MAX_DISTANCE
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                final int maxLen = Math.min(end - ip, MAX_MATCH);
                int m = 3;
                while (m < maxLen && in[ref + m] == in[ip + m]) {
                    m++;
                }
                // closing literal byte (already reserved) + up to 3 bytes of reference + next control byte
                if (outEnd - op < 4) {
                    return 0;
                }
                if (lit == 0) {
                    op--; // no literals since the last reference: drop the reserved control byte
                } else {
                    out[litPos] = (byte) (lit - 1);
                }
                final int dist = ip - ref - 1;
                final int n = m - 2;
                if (n < 7) {
                    out[op++] = (byte) ((n << 5) | (dist >>> 8));
                } else {
                    out[op++] = (byte) ((7 << 5) | (dist >>> 8));
                    out[op++] = (byte) (n - 7);
                }
                out[op++] = (byte) dist;
                lit = 0;
                litPos = op++;
                final int next = ip + m;
                // index the prefixes inside the match too: it finds more and longer matches later
                final int stop = Math.min(next, hashEnd);
                for (int p = ip + 1; p < stop; p++) {
                    tab[hash(in, p)] = p + delta;
                }
                ip = next;
                continue;
            }
            if (op >= outEnd) {
                return 0;
            }
            out[op++] = in[ip++];
            if (++lit == MAX_LIT) {
                out[litPos] = (byte) (MAX_LIT - 1);
                lit = 0;
                if (op >= outEnd) {
                    return 0;
                }
                litPos = op++;
            }
        }
        while (ip < end) {
            if (op >= outEnd) {
                return 0;
            }
            out[op++] = in[ip++];
            if (++lit == MAX_LIT) {
                out[litPos] = (byte) (MAX_LIT - 1);
                lit = 0;
                if (op >= outEnd) {
                    return 0;
                }
                litPos = op++;
            }
        }
        if (lit == 0) {
            op--;
        } else {
            out[litPos] = (byte) (lit - 1);
        }
        return op - outOff;
    }

    /** Copies n bytes rounded up to whole 8-byte words; the caller guarantees room for the excess. */
    static void copyWords(byte[] src, int from, byte[] dst, int to, int n) {
        for (int k = 0; k < n; k += 8) {
            WORD.set(dst, to + k, (long) WORD.get(src, from + k));
        }
    }

    private static int hash(byte[] b, int p) {
        int v = (b[p] & 0xFF) << 16 | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF);
        return (v * 0x9E3779B1) >>> (32 - HASH_LOG);
    }

    private static RedkitException overflow(BlobContext ctx, int at, int produced, int n, int outLen) {
        return ctx.corrupt(at, "decompressed length: found at least " + ((long) produced + n)
                + " (expected " + outLen + ")");
    }

    private static RedkitException truncatedRef(BlobContext ctx, int at) {
        return ctx.corrupt(at, "back-reference: found the compressed input ending inside it (expected "
                + "2 or 3 bytes)");
    }

    /** A thread's reusable prefix table with the base that marks the current call's entries. */
    private static final class HashTable {
        final int[] table = new int[HASH_SIZE];
        private int next = 1;

        /** Reserves {@code len} positions and returns their base, clearing the table on wrap-around. */
        int claim(int len) {
            if (next > Integer.MAX_VALUE - len - 1) {
                java.util.Arrays.fill(table, 0);
                next = 1;
            }
            int base = next;
            next += len + 1;
            return base;
        }
    }
}
