package io.redkit.core.event;

/**
 * A key's value is complete.
 *
 * @param rawPayload the value as a DUMP payload body (type byte and value, without version
 *                   footer) when the reader was asked for it and it fits the chunk size; else null
 * @param offset     the byte offset just past the value
 */
public record KeyEnd(KeyHeader header, byte[] rawPayload, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.KEY_END;
    }
}
