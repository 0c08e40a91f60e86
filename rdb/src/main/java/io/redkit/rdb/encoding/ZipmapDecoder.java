package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;
import java.util.Objects;

/**
 * Decodes a zipmap (small hashes written by Redis before 2.6, RDB type 9) and checks it as Redis's
 * {@code zipmapValidateIntegrity} does.
 *
 * <pre>
 * zmlen (1 byte; 254 = count unknown) | { klen key vlen free value pad[free] }* | 0xFF
 * klen, vlen: one byte 0..253, or 0xFE + u32 LE   (zipmap.c's comment says 253: the code uses 254)
 * </pre>
 */
public final class ZipmapDecoder {
    static final int BIGLEN = 0xFE;
    static final int END = 0xFF;

    private ZipmapDecoder() {
    }

    /**
     * Visits key, value, key, value... of the zipmap in {@code len} bytes of {@code buf} from {@code off}
     * and returns the number of pairs. An empty zipmap is returned as 0: whether that is an error is the
     * caller's decision (Redis refuses it when loading).
     */
    public static int decode(byte[] buf, int off, int len, EntryVisitor v, BlobContext ctx) throws RedkitException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 2) {
            throw ctx.corrupt(0, "zipmap size: found " + len + " bytes (expected at least 2)");
        }
        final int zmlen = buf[off] & 0xFF;
        final int end = off + len - 1; // position of the terminator
        if ((buf[end] & 0xFF) != END) {
            throw ctx.corrupt(len - 1, "terminator: found 0x" + LE.hex(buf[end]) + " (expected 0xFF)");
        }
        int p = off + 1;
        int pairs = 0;
        while (true) {
            final int b0 = buf[p] & 0xFF;
            if (b0 == END) {
                if (p != end) {
                    throw ctx.corrupt(p - off, "pair " + pairs + ": found the end marker 0xFF (expected a key, "
                            + (end - p) + " bytes before the end)");
                }
                break;
            }
            // <klen><key><vlen><free><value><pad>
            //  ^ here
            final int keyAt = p;
            final long klen = length(buf, off, p, end, pairs, "key", ctx);
            p += b0 == BIGLEN ? 5 : 1;
            if (klen > end - p) {
                throw tooLong(ctx, keyAt - off, pairs, "key", klen, end - p);
            }
            v.string(buf, p, (int) klen);
            p += (int) klen;

            final int valAt = p;
            final int vb = buf[p] & 0xFF;
            if (vb == END) {
                throw ctx.corrupt(p - off, "pair " + pairs + ": value length: found 0xFF (expected a length)");
            }
            final long vlen = length(buf, off, p, end, pairs, "value", ctx);
            p += vb == BIGLEN ? 5 : 1;
            if (p >= end) {
                throw ctx.corrupt(valAt - off, "pair " + pairs + ": free: found the end (expected a free byte)");
            }
            final int free = buf[p++] & 0xFF;
            if (vlen + free > end - p) {
                throw tooLong(ctx, valAt - off, pairs, "value + free", vlen + free, end - p);
            }
            v.string(buf, p, (int) vlen);
            p += (int) vlen + free;
            pairs++;
        }
        // zipmapLen treats any zmlen >= 254 as "count by walking"; Redis 7's integrity check is stricter
        // and refuses 255, but the entries are intact, so redkit reads them (the old loaders did too)
        if (zmlen < BIGLEN && zmlen != pairs) {
            throw ctx.corrupt(0, "zmlen: found " + zmlen + " (expected " + pairs + ", the pairs walked)");
        }
        return pairs;
    }

    /** Reads a key or value length at {@code p}, which is before {@code end}. */
    private static long length(byte[] buf, int off, int p, int end, int pair, String what, BlobContext ctx)
            throws RedkitException {
        final int b0 = buf[p] & 0xFF;
        if (b0 < BIGLEN) {
            return b0;
        }
        if (end - p < 5) {
            throw ctx.corrupt(p - off, "pair " + pair + ": " + what + " length: found " + (end - p)
                    + " bytes before the end (expected 5)");
        }
        return LE.u32(buf, p + 1);
    }

    private static RedkitException tooLong(BlobContext ctx, int at, int pair, String what, long found, int left) {
        return ctx.corrupt(at, "pair " + pair + ": " + what + " length: found " + found + " (expected at most "
                + left + ", the bytes left before the end)");
    }
}
