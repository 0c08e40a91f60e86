package io.redkit.core;

/**
 * What went wrong with an input, as a stable short name: reports, exit codes and the
 * corrupt-fixture expectations all use these names.
 */
public enum ErrorKind {
    /** The input ends before the structure being read is complete. */
    TRUNCATED("truncated"),
    /** The first bytes are not an RDB/AOF signature. */
    BAD_MAGIC("bad-magic"),
    /** The RDB version is unknown or unsupported. */
    BAD_VERSION("bad-version"),
    /** A CRC64 checksum does not match. */
    CHECKSUM("checksum"),
    /** A value-type or opcode byte that the dialect and version do not define. */
    UNKNOWN_TYPE("unknown-type"),
    /** A packed blob (ziplist, listpack, intset, zipmap, LZF, stream) fails its integrity checks. */
    INTEGRITY("integrity"),
    /** A collection key without any element (legal in old files, reported on request). */
    EMPTY_KEYS("empty-keys"),
    /** A RESP or AOF structure is malformed. */
    BAD_FORMAT("bad-format"),
    /** An AOF manifest is malformed. */
    BAD_MANIFEST("bad-manifest"),
    /** A file named by a manifest is missing. */
    MISSING_FILE("missing-file"),
    /** An input length or count exceeds a configured limit. */
    LIMIT("limit"),
    /** A well-formed feature that this version of redkit does not handle. */
    UNSUPPORTED("unsupported");

    private final String id;

    ErrorKind(String id) {
        this.id = id;
    }

    /** The stable name used in reports, e.g. {@code "truncated"}. */
    public String id() {
        return id;
    }
}
