package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import java.util.Arrays;
import java.util.List;

/** Bit commands on strings: SETBIT, GETBIT, BITCOUNT (with 7.0's BYTE|BIT ranges); bit 0 is a byte's top bit. */
final class BitCommands {
    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";

    private BitCommands() {
    }

    static void register() {
        add("setbit", 4, BitCommands::setbit);
        add("getbit", 3, (e, db, a) -> {
            long off = offset(a.get(2));
            return e.read(db, a.get(1), (v, x, now) -> {
                byte[] s = Args.string(v);
                long i = off >>> 3;
                if (s == null || i >= s.length) {
                    return Reply.integer(0);
                }
                return Reply.integer((s[(int) i] >> (7 - (int) (off & 7))) & 1);
            });
        });
        add("bitcount", -2, BitCommands::bitcount);
    }

    /** A bit offset: an integer in 0 .. 2^32-1 (512 MB of bits), as Redis's default proto-max-bulk-len allows. */
    private static long offset(byte[] a) {
        Long v = io.redkit.core.Bytes.parseLong(a);
        if (v == null || v < 0 || (v >>> 3) >= StringCommands.MAX_STRING) {
            throw new Args.Err(BAD_OFFSET);
        }
        return v;
    }

    private static Reply setbit(KvEngine e, int db, List<byte[]> a) {
        long off = offset(a.get(2));
        byte[] b = a.get(3);
        if (b.length != 1 || (b[0] != '0' && b[0] != '1')) {
            throw new Args.Err("ERR bit is not an integer or out of range");
        }
        int bit = b[0] - '0';
        return e.write(db, a.get(1), r -> {
            byte[] cur = Args.string(r.value());
            int i = (int) (off >>> 3);
            // strings are never changed in place (a snapshot may hold this array): always a new one
            byte[] n = cur == null ? new byte[i + 1] : Arrays.copyOf(cur, Math.max(cur.length, i + 1));
            int shift = 7 - (int) (off & 7);
            int old = (n[i] >> shift) & 1;
            n[i] = (byte) (bit == 1 ? n[i] | (1 << shift) : n[i] & ~(1 << shift));
            r.set(n);
            return Reply.integer(old);
        });
    }

    private static Reply bitcount(KvEngine e, int db, List<byte[]> a) {
        return e.read(db, a.get(1), (v, x, now) -> {
            byte[] s = Args.string(v);
            if (s == null) {
                return Reply.integer(0);
            }
            long start;
            long end;
            int firstMask = 0;
            int lastMask = 0;
            if (a.size() == 4 || a.size() == 5) {
                start = Args.lng(a.get(2));
                end = Args.lng(a.get(3));
                boolean isBit = false;
                if (a.size() == 5) {
                    if (Args.is(a.get(4), "BIT")) {
                        isBit = true;
                    } else if (!Args.is(a.get(4), "BYTE")) {
                        throw new Args.Err(Reply.SYNTAX);
                    }
                }
                long total = isBit ? (long) s.length << 3 : s.length;
                if (start < 0 && end < 0 && start > end) {
                    return Reply.integer(0);
                }
                start = start < 0 ? Math.max(0, total + start) : start;
                end = end < 0 ? Math.max(0, total + end) : end;
                end = Math.min(end, total - 1);
                if (isBit && start <= end) {
                    // the bits of the edge bytes outside the range are subtracted afterwards
                    firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xFF;
                    lastMask = (1 << (7 - (end & 7))) - 1;
                    start >>= 3;
                    end >>= 3;
                }
            } else if (a.size() == 2) {
                start = 0;
                end = s.length - 1L;
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
            if (start > end) {
                return Reply.integer(0);
            }
            long n = 0;
            for (long i = start; i <= end; i++) {
                n += Integer.bitCount(s[(int) i] & 0xFF);
            }
            n -= Integer.bitCount(s[(int) start] & firstMask) + Integer.bitCount(s[(int) end] & lastMask);
            return Reply.integer(n);
        });
    }
}
