package io.redkit.diff;

/**
 * Hears how a comparison goes, for a progress bar and warnings. Called from the thread that reads the
 * side concerned; every method does nothing by default.
 */
public interface DiffListener {
    /** A listener that ignores everything. */
    DiffListener NONE = new DiffListener() {
    };

    /** A phase of the run starts for side {@code side} ({@code "A"} or {@code "B"}): reading, replaying, details. */
    default void phase(String side, String what, long totalBytes) {
    }

    /** {@code n} more raw input bytes were read from the current side. */
    default void bytes(long n) {
    }

    /** One more key was digested. */
    default void key() {
    }

    /** The current phase ended. */
    default void phaseDone() {
    }

    /** Something the user should know that does not stop the run (commands that failed in a replay...). */
    default void warning(String message) {
    }
}
