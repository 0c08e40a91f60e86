package io.redkit.core;

/**
 * Immutable bounds applied to every length and count read from an input before anything is
 * allocated. Defaults follow Redis's own (proto-max-bulk-len is 512 MB). Build with
 * {@link #builder()}; each check method throws {@link LimitExceededException}.
 */
public final class Limits {
    /** Default maximum size of one string or packed blob: 512 MiB, like Redis's proto-max-bulk-len. */
    public static final long DEFAULT_MAX_STRING_BYTES = 512L * 1024 * 1024;
    /** Default maximum element count of one collection: 2^32 - 1, what Redis itself can hold per key. */
    public static final long DEFAULT_MAX_ELEMENTS = 0xFFFF_FFFFL;
    /** Default value size above which a value is delivered in chunks instead of whole. */
    public static final int DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
    /** Default element count above which a value is delivered in chunks instead of whole. */
    public static final int DEFAULT_CHUNK_ELEMENTS = 64 * 1024;

    private static final Limits DEFAULTS = builder().build();

    private final long maxStringBytes;
    private final long maxElements;
    private final int chunkBytes;
    private final int chunkElements;

    private Limits(Builder b) {
        this.maxStringBytes = b.maxStringBytes;
        this.maxElements = b.maxElements;
        this.chunkBytes = b.chunkBytes;
        this.chunkElements = b.chunkElements;
    }

    /** The documented defaults. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Maximum bytes of one string, packed blob or decompressed LZF payload ({@code --max-string-bytes}). */
    public long maxStringBytes() {
        return maxStringBytes;
    }

    /** Maximum element count of one collection ({@code --max-elements}). */
    public long maxElements() {
        return maxElements;
    }

    /** Values larger than this many bytes arrive in chunks of at most about this size. */
    public int chunkBytes() {
        return chunkBytes;
    }

    /** Values with more elements than this arrive in chunks of at most this many elements. */
    public int chunkElements() {
        return chunkElements;
    }

    /** Checks a string or blob length read from input. */
    public void checkStringLength(long length, String source, long offset, String context) throws LimitExceededException {
        if (length < 0 || length > maxStringBytes) {
            throw new LimitExceededException(source, offset, context, "string length", length, maxStringBytes, "--max-string-bytes");
        }
    }

    /** Checks a collection element count read from input. */
    public void checkElementCount(long count, String source, long offset, String context) throws LimitExceededException {
        if (count < 0 || count > maxElements) {
            throw new LimitExceededException(source, offset, context, "element count", count, maxElements, "--max-elements");
        }
    }

    /** Builder with the documented defaults preset. */
    public static final class Builder {
        private long maxStringBytes = DEFAULT_MAX_STRING_BYTES;
        private long maxElements = DEFAULT_MAX_ELEMENTS;
        private int chunkBytes = DEFAULT_CHUNK_BYTES;
        private int chunkElements = DEFAULT_CHUNK_ELEMENTS;

        public Builder maxStringBytes(long v) {
            if (v <= 0 || v > Integer.MAX_VALUE - 16) {
                // one string must fit a Java array when a caller asks for it whole
                throw new IllegalArgumentException("maxStringBytes must be in 1.." + (Integer.MAX_VALUE - 16));
            }
            this.maxStringBytes = v;
            return this;
        }

        public Builder maxElements(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxElements must be positive");
            }
            this.maxElements = v;
            return this;
        }

        public Builder chunkBytes(int v) {
            if (v < 1024) {
                throw new IllegalArgumentException("chunkBytes must be at least 1024");
            }
            this.chunkBytes = v;
            return this;
        }

        public Builder chunkElements(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("chunkElements must be positive");
            }
            this.chunkElements = v;
            return this;
        }

        public Limits build() {
            return new Limits(this);
        }
    }
}
