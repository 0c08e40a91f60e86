package io.redkit.aof;

import io.redkit.core.Limits;

/**
 * How a source is read: the limits and the RDB reader options, passed on to every RDB part (a
 * plain RDB file, an AOF preamble, a multi-part base).
 *
 * @param limits             bounds on lengths and counts, and the chunk sizes
 * @param allowFutureVersion read RDB versions newer than the tables know, best effort
 * @param captureRawPayload  hand each RDB value's raw payload over (for RESTORE)
 * @param skipEmptyKeys      skip empty collection keys of old RDB files instead of failing
 */
public record SourceOptions(Limits limits, boolean allowFutureVersion, boolean captureRawPayload,
                            boolean skipEmptyKeys) {
    private static final SourceOptions DEFAULTS = new SourceOptions(Limits.defaults(), false, false, false);

    /** Default limits, no future versions, no raw payloads, empty keys are errors. */
    public static SourceOptions defaults() {
        return DEFAULTS;
    }

    /** A copy with other limits. */
    public SourceOptions withLimits(Limits l) {
        return new SourceOptions(l, allowFutureVersion, captureRawPayload, skipEmptyKeys);
    }

    /** A copy with {@code allowFutureVersion} set. */
    public SourceOptions withAllowFutureVersion(boolean v) {
        return new SourceOptions(limits, v, captureRawPayload, skipEmptyKeys);
    }

    /** A copy with {@code captureRawPayload} set. */
    public SourceOptions withCaptureRawPayload(boolean v) {
        return new SourceOptions(limits, allowFutureVersion, v, skipEmptyKeys);
    }

    /** A copy with {@code skipEmptyKeys} set. */
    public SourceOptions withSkipEmptyKeys(boolean v) {
        return new SourceOptions(limits, allowFutureVersion, captureRawPayload, v);
    }
}
