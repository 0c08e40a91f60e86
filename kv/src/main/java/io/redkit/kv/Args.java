package io.redkit.kv;

import io.redkit.core.Bytes;

import java.nio.charset.StandardCharsets;

/** Argument parsing helpers; a bad argument throws {@link Err}, which the dispatcher turns into its reply. */
final class Args {
    private Args() {
    }

    /** An error reply thrown out of a command (no stack trace: it is control flow). */
    static final class Err extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Reply.Error reply;

        Err(Reply.Error reply) {
            super(reply.text(), null, false, false);
            this.reply = reply;
        }

        Err(String text) {
            this(Reply.error(text));
        }
    }

    /** True when the argument equals the upper-case ASCII word, ignoring case. */
    static boolean is(byte[] a, String word) {
        int n = word.length();
        if (a.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = a[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static String str(byte[] a) {
        return new String(a, StandardCharsets.UTF_8);
    }

    /** A 64-bit integer argument, else "ERR value is not an integer or out of range". */
    static long lng(byte[] a) {
        Long v = Bytes.parseLong(a);
        if (v == null) {
            throw new Err(Reply.NOT_INTEGER);
        }
        return v;
    }

    /** A float argument, else "ERR value is not a valid float". */
    static double dbl(byte[] a) {
        double d = Floats.parse(a);
        if (Double.isNaN(d)) {
            throw new Err(Reply.NOT_FLOAT);
        }
        return d;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] num(long v) {
        return ascii(Long.toString(v));
    }

    static Err wrongArgs(String cmd) {
        return new Err("ERR wrong number of arguments for '" + cmd + "' command");
    }

    static KvList list(Object v) {
        if (v == null || v instanceof KvList) {
            return (KvList) v;
        }
        throw new Err(Reply.WRONGTYPE);
    }

    static KvHash hash(Object v) {
        if (v == null || v instanceof KvHash) {
            return (KvHash) v;
        }
        throw new Err(Reply.WRONGTYPE);
    }

    static KvSet set(Object v) {
        if (v == null || v instanceof KvSet) {
            return (KvSet) v;
        }
        throw new Err(Reply.WRONGTYPE);
    }

    static KvZSet zset(Object v) {
        if (v == null || v instanceof KvZSet) {
            return (KvZSet) v;
        }
        throw new Err(Reply.WRONGTYPE);
    }

    static KvStream stream(Object v) {
        if (v == null || v instanceof KvStream) {
            return (KvStream) v;
        }
        throw new Err(Reply.WRONGTYPE);
    }

    static byte[] string(Object v) {
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw new Err(Reply.WRONGTYPE);
    }
}
