package io.redkit.core.event;

/** Size hints of the current database (never trusted for allocation). */
public record ResizeDb(long keys, long expires, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.RESIZE_DB;
    }
}
