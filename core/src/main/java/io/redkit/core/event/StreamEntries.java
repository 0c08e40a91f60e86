package io.redkit.core.event;

import java.util.List;

/** A chunk of live stream entries in ID order. */
public record StreamEntries(List<StreamEntry> entries, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.STREAM_ENTRIES;
    }
}
