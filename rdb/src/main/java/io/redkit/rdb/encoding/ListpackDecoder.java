package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;
import java.util.Objects;

/**
 * Walks a listpack (Redis 7+ lists, hashes, sets, sorted sets, quicklist and stream nodes), validating it
 * the way Redis's deep integrity check does, and hands each entry to an {@link EntryVisitor}.
 *
 * <pre>
 * total-bytes u32 LE | num-elements u16 LE (65535 = unknown) | entry* | 0xFF
 * entry = encoding+data | backlen (size of encoding+data, 1..5 bytes, 7 bits per byte)
 *   0xxxxxxx             uint7            10xxxxxx + data     string, len 0..63
 *   110xxxxx x           int13            1110xxxx x + data   string, len 0..4095
 *   0xF0 u32 LE + data   string           0xF1/F2/F3/F4       int16/24/32/64 LE
 * </pre>
 */
public final class ListpackDecoder {
    static final int HEADER = 6;
    static final int END = 0xFF;
    static final int UNKNOWN_COUNT = 0xFFFF;

    private ListpackDecoder() {
    }

    /**
     * Decodes the listpack in {@code len} bytes of {@code buf} from {@code off}, visiting entries in order,
     * and returns the entry count. On corruption the visitor may already have seen the entries before it.
     */
    public static int decode(byte[] buf, int off, int len, EntryVisitor v, BlobContext ctx) throws RedkitException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < HEADER + 1) {
            throw ctx.corrupt(0, "listpack size: found " + len + " bytes (expected at least " + (HEADER + 1) + ")");
        }
        final long total = LE.u32(buf, off);
        if (total != len) {
            throw ctx.corrupt(0, "total-bytes: found " + total + " (expected " + len + ", the blob length)");
        }
        final int numele = LE.u16(buf, off + 4);
        final int end = off + len - 1; // position of the terminator
        if ((buf[end] & 0xFF) != END) {
            throw ctx.corrupt(len - 1, "terminator: found 0x" + LE.hex(buf[end]) + " (expected 0xFF)");
        }
        int p = off + HEADER;
        int count = 0;
        while (true) {
            final int b0 = buf[p] & 0xFF;
            final int start = p;
            // <encoding+data><backlen>
            //  ^ here
            if (b0 < 0x80) {
                // 7-bit unsigned: the most common entry, whose backlen is always the single byte 0x01
                if (end - p < 2) {
                    throw pastEnd(ctx, off, start, count, 2, end - p);
                }
                if (buf[p + 1] != 1) {
                    throw badBacklen(ctx, off, p + 1, count, buf[p + 1] & 0xFF, 1);
                }
                v.integer(b0);
                p += 2;
                count++;
                continue;
            }
            long size; // encoding + data
            if (b0 < 0xC0) {
                int slen = b0 & 0x3F;
                size = 1 + slen;
                if (size > end - p) {
                    throw badStringLength(ctx, off, start, count, slen, end - p - 1);
                }
                v.string(buf, p + 1, slen);
            } else if (b0 < 0xE0) {
                if (end - p < 2) {
                    throw pastEnd(ctx, off, start, count, 2, end - p);
                }
                int x = (b0 & 0x1F) << 8 | (buf[p + 1] & 0xFF);
                v.integer(x >= 4096 ? x - 8192 : x);
                size = 2;
            } else if (b0 < 0xF0) {
                if (end - p < 2) {
                    throw pastEnd(ctx, off, start, count, 2, end - p);
                }
                int slen = (b0 & 0x0F) << 8 | (buf[p + 1] & 0xFF);
                size = 2 + slen;
                if (size > end - p) {
                    throw badStringLength(ctx, off, start, count, slen, end - p - 2);
                }
                v.string(buf, p + 2, slen);
            } else {
                switch (b0) {
                    case 0xF0: {
                        if (end - p < 5) {
                            throw pastEnd(ctx, off, start, count, 5, end - p);
                        }
                        long slen = LE.u32(buf, p + 1);
                        size = 5 + slen;
                        if (size > end - p) {
                            throw badStringLength(ctx, off, start, count, slen, end - p - 5);
                        }
                        v.string(buf, p + 5, (int) slen);
                        break;
                    }
                    case 0xF1:
                        size = 3;
                        if (end - p < size) {
                            throw pastEnd(ctx, off, start, count, size, end - p);
                        }
                        v.integer((short) ((buf[p + 1] & 0xFF) | buf[p + 2] << 8));
                        break;
                    case 0xF2:
                        size = 4;
                        if (end - p < size) {
                            throw pastEnd(ctx, off, start, count, size, end - p);
                        }
                        v.integer((buf[p + 1] & 0xFF) | (buf[p + 2] & 0xFF) << 8 | buf[p + 3] << 16);
                        break;
                    case 0xF3:
                        size = 5;
                        if (end - p < size) {
                            throw pastEnd(ctx, off, start, count, size, end - p);
                        }
                        v.integer(LE.i32(buf, p + 1));
                        break;
                    case 0xF4:
                        size = 9;
                        if (end - p < size) {
                            throw pastEnd(ctx, off, start, count, size, end - p);
                        }
                        v.integer(LE.i64(buf, p + 1));
                        break;
                    case END:
                        if (p != end) {
                            throw ctx.corrupt(p - off, "entry " + count + ": found the end marker 0xFF (expected"
                                    + " an entry, " + (end - p) + " bytes before the end)");
                        }
                        if (numele != UNKNOWN_COUNT && numele != count) {
                            throw ctx.corrupt(4, "num-elements: found " + numele + " (expected " + count
                                    + ", the entries walked)");
                        }
                        return count;
                    default:
                        throw ctx.corrupt(p - off, "entry " + count + ": encoding: found 0x" + LE.hex(b0)
                                + " (expected a string or integer encoding)");
                }
            }
            // size <= end - p here, so it fits an int
            p += (int) size;
            final int bl = backlenSize(size);
            if (bl > end - p) {
                throw ctx.corrupt(p - off, "entry " + count + ": backlen: found " + (end - p)
                        + " bytes before the end (expected " + bl + ")");
            }
            checkBacklen(buf, off, p, bl, size, count, ctx);
            p += bl;
            count++;
        }
    }

    /** Bytes of the backlen that follows an entry of {@code size} bytes (encoding + data). */
    static int backlenSize(long size) {
        if (size <= 127) {
            return 1;
        } else if (size < 16383) {
            return 2;
        } else if (size < 2097151) {
            return 3;
        } else if (size < 268435455) {
            return 4;
        }
        return 5;
    }

    /** Writes the backlen of an entry of {@code size} bytes at {@code p}: high 7-bit group first, bit 7 on all but it. */
    static void writeBacklen(byte[] b, int p, long size, int bl) {
        for (int k = bl - 1; k >= 0; k--) {
            int group = (int) ((size >>> (7 * (bl - 1 - k))) & 0x7F);
            b[p + k] = (byte) (k == 0 ? group : group | 0x80);
        }
    }

    private static void checkBacklen(byte[] buf, int off, int p, int bl, long size, int idx, BlobContext ctx)
            throws RedkitException {
        if (bl == 1) {
            if ((buf[p] & 0xFF) != size) {
                throw badBacklen(ctx, off, p, idx, buf[p] & 0xFF, size);
            }
            return;
        }
        // decode the way a backward walk does and insist on the canonical byte count, like lpValidateNext
        long val = 0;
        for (int k = 0; k < bl; k++) {
            int c = buf[p + k] & 0xFF;
            boolean more = (c & 0x80) != 0;
            if (more == (k == 0)) {
                throw ctx.corrupt(p + k - off, "entry " + idx + ": backlen byte " + k + ": found 0x" + LE.hex(c)
                        + " (expected bit 7 " + (k == 0 ? "clear" : "set") + ")");
            }
            val = val << 7 | (c & 0x7F);
        }
        if (val != size) {
            throw badBacklen(ctx, off, p, idx, val, size);
        }
    }

    private static RedkitException badBacklen(BlobContext ctx, int off, int at, int idx, long found, long size) {
        return ctx.corrupt(at - off, "entry " + idx + ": backlen: found " + found + " (expected " + size
                + ", the entry size)");
    }

    private static RedkitException badStringLength(BlobContext ctx, int off, int at, int idx, long slen, long left) {
        return ctx.corrupt(at - off, "entry " + idx + ": string length: found " + slen + " (expected at most "
                + Math.max(left, 0) + ", the bytes left before the end)");
    }

    private static RedkitException pastEnd(BlobContext ctx, int off, int at, int idx, long need, int left) {
        return ctx.corrupt(at - off, "entry " + idx + ": found " + left + " bytes before the end (expected "
                + need + " for the encoding)");
    }
}
