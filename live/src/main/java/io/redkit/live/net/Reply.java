package io.redkit.live.net;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One RESP2 reply, already aggregated: a status or error line, an integer, a bulk string (bytes), an array,
 * or null. Immutable; the bytes are owned by the reply.
 */
public final class Reply {
    /** What the reply is. */
    public enum Type { STATUS, ERROR, INTEGER, BULK, ARRAY, NULL }

    /** The shared null reply. */
    public static final Reply NULL = new Reply(Type.NULL, null, 0, null);
    /** The shared {@code +OK} reply. */
    public static final Reply OK = new Reply(Type.STATUS, "OK".getBytes(StandardCharsets.US_ASCII), 0, null);

    private final Type type;
    private final byte[] bytes;
    private final long integer;
    private final List<Reply> items;

    private Reply(Type type, byte[] bytes, long integer, List<Reply> items) {
        this.type = type;
        this.bytes = bytes;
        this.integer = integer;
        this.items = items;
    }

    /** A status ({@code +...}) reply. */
    public static Reply status(byte[] text) {
        return text.length == 2 && text[0] == 'O' && text[1] == 'K' ? OK : new Reply(Type.STATUS, text, 0, null);
    }

    /** An error ({@code -...}) reply. */
    public static Reply error(byte[] text) {
        return new Reply(Type.ERROR, text, 0, null);
    }

    /** An integer reply. */
    public static Reply integer(long v) {
        return new Reply(Type.INTEGER, null, v, null);
    }

    /** A bulk string reply. */
    public static Reply bulk(byte[] b) {
        return new Reply(Type.BULK, b, 0, null);
    }

    /** An array reply. */
    public static Reply array(List<Reply> items) {
        return new Reply(Type.ARRAY, null, 0, List.copyOf(items));
    }

    /** The reply's type. */
    public Type type() {
        return type;
    }

    /** True for an error reply. */
    public boolean isError() {
        return type == Type.ERROR;
    }

    /** True for a null bulk or null array. */
    public boolean isNull() {
        return type == Type.NULL;
    }

    /** The bytes of a status, error or bulk reply; null otherwise. */
    public byte[] bytes() {
        return bytes;
    }

    /** The text of a status, error or bulk reply (UTF-8); the integer as text; "" otherwise. */
    public String text() {
        if (bytes != null) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return type == Type.INTEGER ? Long.toString(integer) : "";
    }

    /** The value of an integer reply (or a bulk holding a number); throws otherwise. */
    public long asLong() {
        if (type == Type.INTEGER) {
            return integer;
        }
        if (type == Type.BULK || type == Type.STATUS) {
            return Long.parseLong(text());
        }
        throw new IllegalStateException("not an integer reply: " + this);
    }

    /** The elements of an array reply; empty for anything else. */
    public List<Reply> items() {
        return items == null ? List.of() : items;
    }

    /** True when an error reply starts with {@code prefix} (e.g. "MOVED", "BUSYKEY"). */
    public boolean errorStartsWith(String prefix) {
        if (type != Type.ERROR || bytes.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return switch (type) {
            case STATUS -> "+" + text();
            case ERROR -> "-" + text();
            case INTEGER -> ":" + integer;
            case BULK -> bytes.length > 64 ? "$" + bytes.length + " bytes" : "\"" + text() + "\"";
            case ARRAY -> items.toString();
            case NULL -> "(nil)";
        };
    }
}
