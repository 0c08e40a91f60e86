package io.redkit.live.target;

/** What happens when the target already holds a key that is being written. */
public enum OnExisting {
    /** The migration stops with an error naming the key (the default). */
    FAIL,
    /** The incoming key replaces the target's. */
    REPLACE,
    /** The target's key stays; the incoming one is counted as skipped. */
    SKIP
}
