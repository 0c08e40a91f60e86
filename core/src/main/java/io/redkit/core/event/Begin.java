package io.redkit.core.event;

/**
 * Start of a stream.
 *
 * @param sourceKind RDB, AOF or replication
 * @param source     a name for messages (file path, URI)
 * @param dialect    the RDB dialect, null for AOF without an RDB part
 * @param rdbVersion the RDB version from the header, or -1
 */
public record Begin(SourceKind sourceKind, String source, Dialect dialect, int rdbVersion, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.BEGIN;
    }
}
