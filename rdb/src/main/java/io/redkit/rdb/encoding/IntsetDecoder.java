package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;
import java.util.Objects;

/**
 * Decodes an intset (small sets of integers, RDB type 11) and checks it as Redis's
 * {@code intsetValidateIntegrity} does: a known width, a length that matches the blob, strictly ascending.
 *
 * <pre>
 * encoding u32 LE (2, 4 or 8) | length u32 LE | length x signed LE integers of that width
 * </pre>
 */
public final class IntsetDecoder {
    static final int HEADER = 8;

    private IntsetDecoder() {
    }

    /**
     * Visits the members of the intset in {@code len} bytes of {@code buf} from {@code off} in ascending
     * order and returns their count. An empty intset is returned as 0: whether that is an error is the
     * caller's decision (Redis refuses it when loading).
     */
    public static int decode(byte[] buf, int off, int len, LongVisitor c, BlobContext ctx) throws RedkitException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < HEADER) {
            throw ctx.corrupt(0, "intset size: found " + len + " bytes (expected at least " + HEADER + ")");
        }
        final long width = LE.u32(buf, off);
        if (width != 2 && width != 4 && width != 8) {
            throw ctx.corrupt(0, "encoding: found " + width + " (expected 2, 4 or 8)");
        }
        final long length = LE.u32(buf, off + 4);
        if (length * width != len - HEADER) {
            throw ctx.corrupt(4, "length: found " + length + " (expected " + (len - HEADER) / width + ", the "
                    + (len - HEADER) + " content bytes / width " + width + ")");
        }
        final int n = (int) length;
        int p = off + HEADER;
        long prev = 0;
        if (width == 2) {
            for (int i = 0; i < n; i++, p += 2) {
                long x = (short) ((buf[p] & 0xFF) | buf[p + 1] << 8);
                if (i > 0 && x <= prev) {
                    throw notAscending(ctx, p - off, i, x, prev);
                }
                c.value(x);
                prev = x;
            }
        } else if (width == 4) {
            for (int i = 0; i < n; i++, p += 4) {
                long x = LE.i32(buf, p);
                if (i > 0 && x <= prev) {
                    throw notAscending(ctx, p - off, i, x, prev);
                }
                c.value(x);
                prev = x;
            }
        } else {
            for (int i = 0; i < n; i++, p += 8) {
                long x = LE.i64(buf, p);
                if (i > 0 && x <= prev) {
                    throw notAscending(ctx, p - off, i, x, prev);
                }
                c.value(x);
                prev = x;
            }
        }
        return n;
    }

    private static RedkitException notAscending(BlobContext ctx, int at, int i, long x, long prev) {
        return ctx.corrupt(at, "member " + i + ": found " + x + " (expected more than " + prev
                + ", members are strictly ascending)");
    }
}
