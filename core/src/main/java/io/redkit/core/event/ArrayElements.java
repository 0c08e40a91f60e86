package io.redkit.core.event;

import java.util.List;

/** A chunk of array elements; insertIdx (-1 for none) is repeated on every chunk of the key. */
public record ArrayElements(List<ArrayElement> elements, long insertIdx, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.ARRAY_ELEMENTS;
    }
}
