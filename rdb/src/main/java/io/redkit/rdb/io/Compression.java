package io.redkit.rdb.io;

/** A compression format that {@link Inputs} recognises by its magic bytes. */
public enum Compression {
    /** Not compressed (or not a format redkit knows, left to the reader to reject). */
    NONE("none"),
    /** gzip, RFC 1952: {@code 1F 8B}. */
    GZIP("gzip"),
    /** bzip2: {@code "BZh"} and a block size digit. */
    BZIP2("bzip2"),
    /** xz: {@code FD "7zXZ" 00}. */
    XZ("xz"),
    /** Zstandard frame: {@code 28 B5 2F FD}. */
    ZSTD("zstd"),
    /** LZ4 frame format: {@code 04 22 4D 18}. */
    LZ4("lz4");

    /** How many leading bytes {@link #detect(byte[], int)} needs to recognise every format. */
    public static final int MAGIC_LENGTH = 6;

    private final String id;

    Compression(String id) {
        this.id = id;
    }

    /** The short name used in messages, e.g. {@code "gzip"}. */
    public String id() {
        return id;
    }

    /** Recognises a format from the first {@code n} bytes of {@code head}; {@link #NONE} when none matches. */
    public static Compression detect(byte[] head, int n) {
        if (n >= 2 && u(head, 0) == 0x1F && u(head, 1) == 0x8B) {
            return GZIP;
        }
        if (n >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9') {
            return BZIP2;
        }
        if (n >= 6 && u(head, 0) == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z'
                && head[5] == 0) {
            return XZ;
        }
        if (n >= 4 && u(head, 0) == 0x28 && u(head, 1) == 0xB5 && u(head, 2) == 0x2F && u(head, 3) == 0xFD) {
            return ZSTD;
        }
        if (n >= 4 && u(head, 0) == 0x04 && u(head, 1) == 0x22 && u(head, 2) == 0x4D && u(head, 3) == 0x18) {
            return LZ4;
        }
        return NONE;
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xFF;
    }
}
