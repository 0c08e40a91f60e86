package io.redkit.core.event;

/** An RDB AUX field such as {@code redis-ver} or {@code ctime}. */
public record Aux(byte[] name, byte[] value, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.AUX;
    }
}
