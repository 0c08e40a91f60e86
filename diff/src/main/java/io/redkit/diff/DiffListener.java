package io.redkit.diff;

/**
 * Hears how a comparison goes, for a progress bar and warnings. The first pass may read both sides at
 * once on two threads, so {@link #bytes} and {@link #key} must be safe to call concurrently; every method
 * does nothing by default.
 */
public interface DiffListener {
    /** A listener that ignores everything. */
    DiffListener NONE = new DiffListener() {
    };

    /**
     * A phase starts: {@code "digest"} (the first pass over both sides, AOF replays included) or
     * {@code "details"} (the second pass over the keys whose values differ).
     *
     * @param totalBytes raw bytes the phase will read from files, or -1 when unknown (a directory)
     */
    default void start(String phase, long totalBytes) {
    }

    /** {@code n} more raw input bytes were read, from either side. */
    default void bytes(long n) {
    }

    /** One more key was digested, on either side. */
    default void key() {
    }

    /** The current phase ended. */
    default void end() {
    }

    /** Something the user should know that does not stop the run (commands that failed in a replay...). */
    default void warning(String message) {
    }
}
