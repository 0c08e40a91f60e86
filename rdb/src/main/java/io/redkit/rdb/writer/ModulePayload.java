package io.redkit.rdb.writer;

/**
 * Checks that a raw module payload is a module opcode stream (§7: {@code len opcode} + payload,
 * ending with opcode 0 exactly at the end), the only form a type 7 value or MODULE_AUX can carry.
 * A pre-release (type 6) payload is not one; of those only the example module hellotype's layout is known, so
 * only its values can be rewritten as type 7.
 */
public final class ModulePayload {
    /** §7 opcodes: end of the stream, and an unsigned (also a signed) integer. */
    private static final int OPCODE_EOF = 0;
    private static final int OPCODE_UINT = 2;

    private ModulePayload() {
    }

    /**
     * The value's payload as a module opcode stream (what a type 7 value carries): the payload itself when it is
     * one, a pre-release hellotype value converted as Redis does when it loads and saves it again, else null.
     */
    public static byte[] opcodeStream(io.redkit.core.event.ModuleValue v) {
        byte[] b = v.payload();
        if (isOpcodeStream(b)) {
            return b;
        }
        return "hellotype".equals(v.moduleType()) ? hellotypeFromPreGa(b) : null;
    }

    /**
     * hellotype saves a count and then its integers (RedisModule_SaveUnsigned, RedisModule_SaveSigned); type 6
     * wrote them as bare RDB lengths, type 7 puts the UINT opcode before each. Null when the payload is not that.
     */
    private static byte[] hellotypeFromPreGa(byte[] b) {
        int[] pos = {0};
        long count = len(b, pos);
        if (count < 0 || count > b.length) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length + (int) count + 2);
        int start = 0;
        for (long i = 0; i <= count; i++) {
            if (i > 0 && len(b, pos) < 0) {
                return null;
            }
            out.write(OPCODE_UINT);
            out.write(b, start, pos[0] - start);
            start = pos[0];
        }
        if (pos[0] != b.length) {
            return null;
        }
        out.write(OPCODE_EOF);
        return out.toByteArray();
    }

    /** True when {@code b} is a complete module opcode stream. */
    public static boolean isOpcodeStream(byte[] b) {
        int[] pos = {0};
        while (true) {
            long op = len(b, pos);
            if (op < 0) {
                return false;
            }
            switch ((int) Math.min(op, 6)) {
                case 0:
                    return pos[0] == b.length;
                case 1:
                case 2:
                    if (len(b, pos) < 0) {
                        return false;
                    }
                    break;
                case 3:
                    pos[0] += 4;
                    break;
                case 4:
                    pos[0] += 8;
                    break;
                case 5:
                    if (!string(b, pos)) {
                        return false;
                    }
                    break;
                default:
                    return false;
            }
            if (pos[0] > b.length) {
                return false;
            }
        }
    }

    /** An RDB length; -1 when truncated or a special string encoding. */
    private static long len(byte[] b, int[] pos) {
        int p = pos[0];
        if (p >= b.length) {
            return -1;
        }
        int b0 = b[p] & 0xFF;
        int kind = b0 >>> 6;
        if (kind == 0) {
            pos[0] = p + 1;
            return b0 & 0x3F;
        }
        if (kind == 1) {
            if (p + 2 > b.length) {
                return -1;
            }
            pos[0] = p + 2;
            return ((b0 & 0x3F) << 8) | (b[p + 1] & 0xFF);
        }
        if (b0 == 0x80 || b0 == 0x81) {
            int n = b0 == 0x80 ? 4 : 8;
            if (p + 1 + n > b.length) {
                return -1;
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[p + 1 + i] & 0xFF);
            }
            pos[0] = p + 1 + n;
            return v < 0 ? Long.MAX_VALUE : v;
        }
        return -1;
    }

    private static boolean string(byte[] b, int[] pos) {
        int p = pos[0];
        if (p >= b.length) {
            return false;
        }
        int b0 = b[p] & 0xFF;
        if ((b0 >>> 6) == 3) {
            pos[0] = p + 1;
            switch (b0 & 0x3F) {
                case 0:
                    pos[0] += 1;
                    return pos[0] <= b.length;
                case 1:
                    pos[0] += 2;
                    return pos[0] <= b.length;
                case 2:
                    pos[0] += 4;
                    return pos[0] <= b.length;
                case 3: {
                    long clen = len(b, pos);
                    long ulen = len(b, pos);
                    if (clen < 0 || ulen < 0 || clen > b.length - pos[0]) {
                        return false;
                    }
                    pos[0] += (int) clen;
                    return true;
                }
                default:
                    return false;
            }
        }
        long n = len(b, pos);
        if (n < 0 || n > b.length - pos[0]) {
            return false;
        }
        pos[0] += (int) n;
        return true;
    }
}
