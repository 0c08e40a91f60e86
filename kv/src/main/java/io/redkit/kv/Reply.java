package io.redkit.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A command's reply, shaped after RESP: simple string, error, integer, bulk string, array, null, double. The RESP
 * server encodes it (a {@link Dbl} is a bulk string in RESP2 and a double in RESP3; a {@link Null} with
 * {@code array} set is {@code *-1} in RESP2). Common replies are shared instances.
 */
public sealed interface Reply permits Reply.Simple, Reply.Error, Reply.Int, Reply.Bulk, Reply.Array, Reply.Null,
        Reply.Dbl {

    /** The kinds of reply, for exhaustive switches. */
    enum Kind { SIMPLE, ERROR, INTEGER, BULK, ARRAY, NULL, DOUBLE }

    /** What this reply is. */
    Kind kind();

    /** {@code +OK}. */
    Simple OK = new Simple("OK");
    /** A null bulk string ({@code $-1} in RESP2). */
    Null NULL = new Null(false);
    /** A null array ({@code *-1} in RESP2). */
    Null NULL_ARRAY = new Null(true);
    /** An empty array. */
    Array EMPTY_ARRAY = new Array(List.of());
    /** The WRONGTYPE error. */
    Error WRONGTYPE = new Error("WRONGTYPE Operation against a key holding the wrong kind of value");
    /** A syntax error. */
    Error SYNTAX = new Error("ERR syntax error");
    /** Not an integer. */
    Error NOT_INTEGER = new Error("ERR value is not an integer or out of range");
    /** Not a float. */
    Error NOT_FLOAT = new Error("ERR value is not a valid float");

    /** An integer reply, cached for small values. */
    static Int integer(long v) {
        return v >= -1 && v < Int.CACHE.length - 1 ? Int.CACHE[(int) v + 1] : new Int(v);
    }

    /** A bulk reply of the bytes (not copied), or {@link #NULL} for null. */
    static Reply bulk(byte[] b) {
        return b == null ? NULL : new Bulk(b);
    }

    /** An error reply with the full text (e.g. {@code "ERR ..."}). */
    static Error error(String text) {
        return new Error(text);
    }

    /** A simple string, e.g. {@code OK} or a TYPE name. */
    record Simple(String text) implements Reply {
        @Override
        public Kind kind() {
            return Kind.SIMPLE;
        }
    }

    /** An error: the text starts with its code, e.g. {@code "ERR ..."} or {@code "WRONGTYPE ..."}. */
    record Error(String text) implements Reply {
        @Override
        public Kind kind() {
            return Kind.ERROR;
        }
    }

    /** An integer. */
    record Int(long value) implements Reply {
        static final Int[] CACHE = new Int[258];

        static {
            for (int i = 0; i < CACHE.length; i++) {
                CACHE[i] = new Int(i - 1);
            }
        }

        @Override
        public Kind kind() {
            return Kind.INTEGER;
        }
    }

    /** A bulk string; the array is owned by the reply and must not be modified. */
    record Bulk(byte[] data) implements Reply {
        @Override
        public Kind kind() {
            return Kind.BULK;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Bulk[" + new String(data, StandardCharsets.UTF_8) + "]";
        }
    }

    /** An array of replies. */
    record Array(List<Reply> items) implements Reply {
        @Override
        public Kind kind() {
            return Kind.ARRAY;
        }
    }

    /** A null; {@code array} tells a null array from a null bulk string (they differ in RESP2). */
    record Null(boolean array) implements Reply {
        @Override
        public Kind kind() {
            return Kind.NULL;
        }
    }

    /** A double (ZSCORE and friends); the bulk form is {@link Floats#format(double)}. */
    record Dbl(double value) implements Reply {
        @Override
        public Kind kind() {
            return Kind.DOUBLE;
        }
    }
}
