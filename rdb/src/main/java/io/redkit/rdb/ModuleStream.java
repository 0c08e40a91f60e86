package io.redkit.rdb;

import java.io.IOException;

/**
 * The module opcode stream (module values, MODULE_AUX, KEY_META): {@code len opcode + payload}
 * until opcode 0. A module-less reader walks it to skip or keep the bytes raw.
 */
public final class ModuleStream {
    static final int OP_EOF = 0;
    static final int OP_SINT = 1;
    static final int OP_UINT = 2;
    static final int OP_FLOAT = 3;
    static final int OP_DOUBLE = 4;
    static final int OP_STRING = 5;

    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private ModuleStream() {
    }

    /** Walks one opcode stream to its EOF opcode. */
    static void skip(RdbReader r, String what) throws IOException {
        long items = 0;
        while (true) {
            long off = r.in.offset();
            long op = r.readLen(what + " opcode");
            switch ((int) Math.min(op, 99)) {
                case OP_EOF:
                    return;
                case OP_SINT:
                case OP_UINT:
                    r.readLen(what + " integer");
                    break;
                case OP_FLOAT:
                    r.in.skip(4, what + " float");
                    break;
                case OP_DOUBLE:
                    r.in.skip(8, what + " double");
                    break;
                case OP_STRING:
                    r.skipString(what + " string");
                    break;
                default:
                    throw r.corrupt(off, what, "module opcode " + Long.toUnsignedString(op) + " (expected 0..5)");
            }
            if (++items > r.limits.maxElements()) {
                throw r.corrupt(off, what, "more than " + r.limits.maxElements() + " module items");
            }
        }
    }

    /**
     * Type 6 values (Redis 4.0 release candidates) carry no opcodes, so only a module whose layout
     * is known can be walked: the example module {@code hellotype} (a count, then that many integers).
     */
    static void skipPreGa(RdbReader r, String name, long off) throws IOException {
        if (!"hellotype".equals(name)) {
            throw new io.redkit.core.RedkitException(io.redkit.core.ErrorKind.UNSUPPORTED, r.in.source(), off, r.context(),
                    "module type '" + name + "' in the pre-release format (type 6) is not self-describing; only hellotype is known");
        }
        long n = r.readCount("hellotype element count");
        for (long i = 0; i < n; i++) {
            r.readLen("hellotype element");
        }
    }

    /** The module id of a 9-character type name and an encoding version (0..1023), as a module registers it. */
    public static long id(String name, int encodingVersion) {
        if (name.length() != 9 || encodingVersion < 0 || encodingVersion > 1023) {
            throw new IllegalArgumentException("a module type name has 9 characters: " + name);
        }
        long v = 0;
        for (int i = 0; i < 9; i++) {
            int c = CHARSET.indexOf(name.charAt(i));
            if (c < 0) {
                throw new IllegalArgumentException("'" + name.charAt(i) + "' cannot be in a module type name");
            }
            v = (v << 6) | c;
        }
        return (v << 10) | encodingVersion;
    }

    /** The 9-character module type name encoded in the upper 54 bits of a module id. */
    public static String name(long moduleId) {
        char[] name = new char[9];
        long v = moduleId >>> 10;
        for (int i = 8; i >= 0; i--) {
            name[i] = CHARSET.charAt((int) (v & 63));
            v >>>= 6;
        }
        return new String(name);
    }
}
