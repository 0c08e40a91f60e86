package io.redkit.formats;

import java.nio.file.Path;

/**
 * Options shared by the sinks; each sink reads the ones that concern it and ignores the rest.
 * Immutable; build with {@link #builder()}. {@link #defaults()} is what the command line uses
 * when no option is given.
 */
public final class SinkOptions {
    /** Default memory budget of the {@code --sorted} line buffer before sorted runs spill to disk. */
    public static final long DEFAULT_SORT_BUDGET_BYTES = 64L * 1024 * 1024;
    /** Default size of the inspect report's top-N tables. */
    public static final int DEFAULT_TOP_N = 10;
    /** Default number of key prefixes the inspect report tracks before counting the rest as "(other)". */
    public static final int DEFAULT_MAX_PREFIXES = 10_000;

    private static final SinkOptions DEFAULTS = builder().build();

    private final boolean sorted;
    private final String compat;
    private final boolean printDb;
    private final boolean jsonReport;
    private final Path tempDir;
    private final long sortBudgetBytes;
    private final int topN;
    private final int maxPrefixes;
    private final String prefixDelimiters;
    private final long nowMs;
    private final int rdbVersion;

    private SinkOptions(Builder b) {
        this.sorted = b.sorted;
        this.compat = b.compat;
        this.printDb = b.printDb;
        this.jsonReport = b.jsonReport;
        this.tempDir = b.tempDir;
        this.sortBudgetBytes = b.sortBudgetBytes;
        this.topN = b.topN;
        this.maxPrefixes = b.maxPrefixes;
        this.prefixDelimiters = b.prefixDelimiters;
        this.nowMs = b.nowMs;
        this.rdbVersion = b.rdbVersion;
    }

    /** The options with every default. */
    public static SinkOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code --sorted}: canonical order of keys and of set/hash/zset contents (jsonl, json). */
    public boolean sorted() {
        return sorted;
    }

    /** {@code --compat} layout name (e.g. {@code rdb-tools}) or null for redkit's own layout. */
    public String compat() {
        return compat;
    }

    /** Prefix each key with its db (keys format). */
    public boolean printDb() {
        return printDb;
    }

    /** Reports (count, inspect) as JSON instead of aligned text. */
    public boolean jsonReport() {
        return jsonReport;
    }

    /** Directory for spill files; null means the JVM's temporary directory. */
    public Path tempDir() {
        return tempDir;
    }

    /** Memory budget of the {@code --sorted} line buffer in bytes. */
    public long sortBudgetBytes() {
        return sortBudgetBytes;
    }

    /** Size of the inspect report's top-N tables. */
    public int topN() {
        return topN;
    }

    /** Most key prefixes tracked by the inspect report. */
    public int maxPrefixes() {
        return maxPrefixes;
    }

    /** Bytes that end a key prefix in the inspect report (the first one found ends it). */
    public String prefixDelimiters() {
        return prefixDelimiters;
    }

    /** The clock used to call a TTL expired, in unix ms; -1 means the time the sink is created. */
    public long nowMs() {
        return nowMs;
    }

    /** RDB version of the {@code rdb} output, or -1 for the writer's default. */
    public int rdbVersion() {
        return rdbVersion;
    }

    /** Builder of {@link SinkOptions}. */
    public static final class Builder {
        private boolean sorted;
        private String compat;
        private boolean printDb;
        private boolean jsonReport;
        private Path tempDir;
        private long sortBudgetBytes = DEFAULT_SORT_BUDGET_BYTES;
        private int topN = DEFAULT_TOP_N;
        private int maxPrefixes = DEFAULT_MAX_PREFIXES;
        private String prefixDelimiters = ":";
        private long nowMs = -1;
        private int rdbVersion = -1;

        private Builder() {
        }

        /** See {@link SinkOptions#sorted()}. */
        public Builder sorted(boolean v) {
            this.sorted = v;
            return this;
        }

        /** See {@link SinkOptions#compat()}. */
        public Builder compat(String v) {
            this.compat = v;
            return this;
        }

        /** See {@link SinkOptions#printDb()}. */
        public Builder printDb(boolean v) {
            this.printDb = v;
            return this;
        }

        /** See {@link SinkOptions#jsonReport()}. */
        public Builder jsonReport(boolean v) {
            this.jsonReport = v;
            return this;
        }

        /** See {@link SinkOptions#tempDir()}. */
        public Builder tempDir(Path v) {
            this.tempDir = v;
            return this;
        }

        /** See {@link SinkOptions#sortBudgetBytes()}; at least 1. */
        public Builder sortBudgetBytes(long v) {
            if (v < 1) {
                throw new IllegalArgumentException("sort budget must be positive: " + v);
            }
            this.sortBudgetBytes = v;
            return this;
        }

        /** See {@link SinkOptions#topN()}; at least 1. */
        public Builder topN(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("top-N must be positive: " + v);
            }
            this.topN = v;
            return this;
        }

        /** See {@link SinkOptions#maxPrefixes()}; at least 1. */
        public Builder maxPrefixes(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("max prefixes must be positive: " + v);
            }
            this.maxPrefixes = v;
            return this;
        }

        /** See {@link SinkOptions#prefixDelimiters()}; an empty string disables prefix grouping. */
        public Builder prefixDelimiters(String v) {
            this.prefixDelimiters = v;
            return this;
        }

        /** See {@link SinkOptions#nowMs()}. */
        public Builder nowMs(long v) {
            this.nowMs = v;
            return this;
        }

        /** See {@link SinkOptions#rdbVersion()}. */
        public Builder rdbVersion(int v) {
            this.rdbVersion = v;
            return this;
        }

        /** The options. */
        public SinkOptions build() {
            return new SinkOptions(this);
        }
    }
}
