package io.redkit.core.event;

import java.util.List;

/**
 * A write command from an AOF or the replication stream.
 *
 * @param db          the database selected when it ran
 * @param argv        command name and arguments
 * @param timestampS  the AOF {@code #TS:} annotation in unix seconds, or -1
 */
public record Command(int db, List<byte[]> argv, long timestampS, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.COMMAND;
    }
}
