package io.redkit.core.event;

import java.util.List;

/** A chunk of hash fields. */
public record HashFields(List<HashField> fields, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.HASH_FIELDS;
    }
}
