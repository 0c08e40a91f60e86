package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;
import java.util.Objects;

/**
 * Walks a ziplist (Redis 2.6 - 6.2 lists, hashes, sorted sets and quicklist nodes), validating it the way
 * Redis's deep integrity check does, and hands each entry to an {@link EntryVisitor}.
 *
 * <pre>
 * zlbytes u32 LE | zltail u32 LE | zllen u16 LE | entry* | 0xFF
 * entry = prevlen (1 byte &lt; 254, or 0xFE + u32 LE) | encoding | data
 *   00pppppp                 string, len 0..63
 *   01pppppp qqqqqqqq        string, 14-bit len (big-endian)
 *   10000000 + u32 BE        string, 32-bit len
 *   0xC0 i16 | 0xD0 i32 | 0xE0 i64 | 0xF0 i24 | 0xFE i8   (little-endian)
 *   0xF1..0xFD               immediate 0..12
 * </pre>
 */
public final class ZiplistDecoder {
    static final int HEADER = 10;
    static final int END = 0xFF;
    static final int BIG_PREVLEN = 0xFE;
    static final int UNKNOWN_COUNT = 0xFFFF;

    private ZiplistDecoder() {
    }

    /**
     * Decodes the ziplist in {@code len} bytes of {@code buf} from {@code off}, visiting entries in order,
     * and returns the entry count. On corruption the visitor may already have seen the entries before it.
     */
    public static int decode(byte[] buf, int off, int len, EntryVisitor v, BlobContext ctx) throws RedkitException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < HEADER + 1) {
            throw ctx.corrupt(0, "ziplist size: found " + len + " bytes (expected at least " + (HEADER + 1) + ")");
        }
        final long zlbytes = LE.u32(buf, off);
        if (zlbytes != len) {
            throw ctx.corrupt(0, "zlbytes: found " + zlbytes + " (expected " + len + ", the blob length)");
        }
        final long zltail = LE.u32(buf, off + 4);
        if (zltail < HEADER || zltail > len - 1) {
            throw ctx.corrupt(4, "zltail: found " + zltail + " (expected " + HEADER + " to " + (len - 1) + ")");
        }
        final int zllen = LE.u16(buf, off + 8);
        final int end = off + len - 1; // position of the terminator
        if ((buf[end] & 0xFF) != END) {
            throw ctx.corrupt(len - 1, "terminator: found 0x" + LE.hex(buf[end]) + " (expected 0xFF)");
        }

        int p = off + HEADER;
        int count = 0;
        int prevSize = 0;
        int last = -1;
        while (true) {
            final int b0 = buf[p] & 0xFF;
            if (b0 == END) {
                if (p != end) {
                    throw ctx.corrupt(p - off, "entry " + count + ": found the end marker 0xFF (expected an entry, "
                            + (end - p) + " bytes before the end)");
                }
                break;
            }
            final int start = p;
            // <prevlen><encoding><data>
            //  ^ here
            // a 5-byte prevlen may hold a small value: Redis keeps it to avoid cascading updates
            long prevlen;
            if (b0 < BIG_PREVLEN) {
                prevlen = b0;
                p++;
            } else {
                if (end - p < 5) {
                    throw pastEnd(ctx, off, start, count, "prevlen", 5, end - p);
                }
                prevlen = LE.u32(buf, p + 1);
                p += 5;
            }
            if (prevlen != prevSize) {
                throw badPrevlen(ctx, off, start, count, prevlen, prevSize);
            }
            if (p >= end) {
                throw pastEnd(ctx, off, start, count, "encoding", 1, 0);
            }
            final int enc = buf[p] & 0xFF;
            final int encAt = p;
            if (enc < 0xC0) {
                long slen;
                if (enc < 0x40) {
                    slen = enc;
                    p++;
                } else if (enc < 0x80) {
                    if (end - p < 2) {
                        throw pastEnd(ctx, off, start, count, "14-bit string length", 2, end - p);
                    }
                    slen = (enc & 0x3F) << 8 | (buf[p + 1] & 0xFF);
                    p += 2;
                } else if (enc == 0x80) {
                    if (end - p < 5) {
                        throw pastEnd(ctx, off, start, count, "32-bit string length", 5, end - p);
                    }
                    slen = (buf[p + 1] & 0xFFL) << 24 | (buf[p + 2] & 0xFF) << 16 | (buf[p + 3] & 0xFF) << 8
                            | (buf[p + 4] & 0xFF);
                    p += 5;
                } else {
                    throw badEncoding(ctx, off, encAt, count, enc);
                }
                if (slen > end - p) {
                    throw ctx.corrupt(encAt - off, "entry " + count + ": string length: found " + slen
                            + " (expected at most " + (end - p) + ", the bytes left before the end)");
                }
                v.string(buf, p, (int) slen);
                p += (int) slen;
            } else {
                long value;
                int width;
                switch (enc) {
                    case 0xC0: width = 2; break;
                    case 0xD0: width = 4; break;
                    case 0xE0: width = 8; break;
                    case 0xF0: width = 3; break;
                    case 0xFE: width = 1; break;
                    default:
                        if (enc >= 0xF1 && enc <= 0xFD) {
                            width = 0;
                        } else {
                            throw badEncoding(ctx, off, encAt, count, enc);
                        }
                }
                if (end - p - 1 < width) {
                    throw pastEnd(ctx, off, start, count, "integer", width + 1, end - p);
                }
                final int d = p + 1;
                switch (width) {
                    case 0: value = (enc & 0x0F) - 1; break;
                    case 1: value = buf[d]; break;
                    case 2: value = (short) ((buf[d] & 0xFF) | buf[d + 1] << 8); break;
                    case 3: value = (buf[d] & 0xFF) | (buf[d + 1] & 0xFF) << 8 | buf[d + 2] << 16; break;
                    case 4: value = (buf[d] & 0xFF) | (buf[d + 1] & 0xFF) << 8 | (buf[d + 2] & 0xFF) << 16
                            | buf[d + 3] << 24; break;
                    default: value = LE.i64(buf, d); break;
                }
                v.integer(value);
                p = d + width;
            }
            prevSize = p - start;
            last = start;
            count++;
        }
        final long expectedTail = last < 0 ? HEADER : last - off;
        if (zltail != expectedTail) {
            throw ctx.corrupt(4, "zltail: found " + zltail + " (expected " + expectedTail
                    + (last < 0 ? ", the header end of an empty ziplist)" : ", the offset of the last entry)"));
        }
        if (zllen != UNKNOWN_COUNT && zllen != count) {
            throw ctx.corrupt(8, "zllen: found " + zllen + " (expected " + count + ", the entries walked)");
        }
        return count;
    }

    private static RedkitException badPrevlen(BlobContext ctx, int off, int at, int idx, long found, int expected) {
        return ctx.corrupt(at - off, "entry " + idx + ": prevlen: found " + found + " (expected " + expected
                + ", the size of the previous entry)");
    }

    private static RedkitException badEncoding(BlobContext ctx, int off, int at, int idx, int enc) {
        return ctx.corrupt(at - off, "entry " + idx + ": encoding: found 0x" + LE.hex((byte) enc)
                + " (expected a string or integer encoding)");
    }

    private static RedkitException pastEnd(BlobContext ctx, int off, int at, int idx, String field, int need,
                                           int left) {
        return ctx.corrupt(at - off, "entry " + idx + ": " + field + ": found " + left + " bytes before the end"
                + " (expected " + need + ")");
    }
}
