package io.redkit.core.event;

/** The following keys belong to database {@code db}. */
public record SelectDb(int db, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.SELECT_DB;
    }
}
