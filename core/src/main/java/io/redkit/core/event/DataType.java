package io.redkit.core.event;

/** The data types Redis users see; the on-disk encoding is a separate field of {@link KeyHeader}. */
public enum DataType {
    STRING("string"), LIST("list"), SET("set"), ZSET("zset"), HASH("hash"), STREAM("stream"),
    ARRAY("array"), MODULE("module");

    private final String id;

    DataType(String id) {
        this.id = id;
    }

    /** The name used by Redis's TYPE command and by the jsonl contract. */
    public String id() {
        return id;
    }

    /** Parses a name as used on the command line ({@code string}, {@code zset}, ...); null if unknown. */
    public static DataType fromId(String s) {
        for (DataType t : values()) {
            if (t.id.equalsIgnoreCase(s)) {
                return t;
            }
        }
        return null;
    }
}
