package io.redkit.diff;

import io.redkit.aof.SourceOptions;
import io.redkit.core.sink.KeyFilter;

import java.nio.file.Path;

/**
 * How a comparison runs.
 *
 * @param sources        reader limits and options for both sides
 * @param filter         which keys are compared
 * @param memoryBudget   heap bytes for the per-key records of both sides together; beyond it sorted runs go
 *                       to temporary files (a replayed AOF also needs the engine's memory for its data)
 * @param ttlToleranceMs expiry times closer than this count as equal
 * @param maxDiffs       differing keys listed in the result (all are counted)
 * @param maxDetails     element differences listed per key
 * @param tempDir        where sorted runs go, or null for the system temporary directory
 * @param listener       progress and warnings
 * @param parallel       read both sides at once on two threads in the first pass
 */
public record DiffOptions(SourceOptions sources, KeyFilter filter, long memoryBudget, long ttlToleranceMs,
                          int maxDiffs, int maxDetails, Path tempDir, DiffListener listener, boolean parallel) {
    /** 64 MB: some 200,000 small keys per side before anything is spilled. */
    public static final long DEFAULT_MEMORY_BUDGET = 64L << 20;
    /** Differing keys listed by default. */
    public static final int DEFAULT_MAX_DIFFS = 10;
    /** Element differences listed per key by default. */
    public static final int DEFAULT_MAX_DETAILS = 10;

    /** Checks the numbers. */
    public DiffOptions {
        if (memoryBudget <= 0 || ttlToleranceMs < 0 || maxDiffs < 0 || maxDetails < 0) {
            throw new IllegalArgumentException("memory budget must be positive, tolerance and counts not negative");
        }
    }

    /** Defaults: every key, 64 MB, exact TTLs, 10 keys with 10 details each, no listener, both sides at once. */
    public static DiffOptions defaults() {
        return new DiffOptions(SourceOptions.defaults(), KeyFilter.all(), DEFAULT_MEMORY_BUDGET, 0,
                DEFAULT_MAX_DIFFS, DEFAULT_MAX_DETAILS, null, DiffListener.NONE, true);
    }

    /** A copy with another memory budget. */
    public DiffOptions withMemoryBudget(long bytes) {
        return new DiffOptions(sources, filter, bytes, ttlToleranceMs, maxDiffs, maxDetails, tempDir, listener, parallel);
    }

    /** A copy with another TTL tolerance. */
    public DiffOptions withTtlTolerance(long ms) {
        return new DiffOptions(sources, filter, memoryBudget, ms, maxDiffs, maxDetails, tempDir, listener, parallel);
    }

    /** A copy listing at most {@code n} differing keys. */
    public DiffOptions withMaxDiffs(int n) {
        return new DiffOptions(sources, filter, memoryBudget, ttlToleranceMs, n, maxDetails, tempDir, listener, parallel);
    }

    /** A copy listing at most {@code n} element differences per key. */
    public DiffOptions withMaxDetails(int n) {
        return new DiffOptions(sources, filter, memoryBudget, ttlToleranceMs, maxDiffs, n, tempDir, listener, parallel);
    }

    /** A copy with other source options. */
    public DiffOptions withSources(SourceOptions s) {
        return new DiffOptions(s, filter, memoryBudget, ttlToleranceMs, maxDiffs, maxDetails, tempDir, listener, parallel);
    }

    /** A copy with another key filter. */
    public DiffOptions withFilter(KeyFilter f) {
        return new DiffOptions(sources, f, memoryBudget, ttlToleranceMs, maxDiffs, maxDetails, tempDir, listener, parallel);
    }

    /** A copy with another temporary directory. */
    public DiffOptions withTempDir(Path dir) {
        return new DiffOptions(sources, filter, memoryBudget, ttlToleranceMs, maxDiffs, maxDetails, dir, listener, parallel);
    }

    /** A copy with another listener. */
    public DiffOptions withListener(DiffListener l) {
        return new DiffOptions(sources, filter, memoryBudget, ttlToleranceMs, maxDiffs, maxDetails, tempDir, l, parallel);
    }

    /** A copy reading the sides one after the other ({@code false}) or at once ({@code true}). */
    public DiffOptions withParallel(boolean p) {
        return new DiffOptions(sources, filter, memoryBudget, ttlToleranceMs, maxDiffs, maxDetails, tempDir, listener, p);
    }
}
