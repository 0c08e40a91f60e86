package io.redkit.core.event;

import java.util.List;

/** A chunk of list elements (in order) or set members. */
public record Elements(List<byte[]> items, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.ELEMENTS;
    }
}
