package io.redkit.core.sink;

import io.redkit.core.event.Event;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pull source of events: an RDB reader, an AOF reader, a replication stream. After an error the
 * source is failed for good.
 */
public interface EventSource extends Closeable {
    /** The next event, or null at the end of the stream. */
    Event next() throws IOException;

    /**
     * Right after {@link io.redkit.core.event.KeyStart}: skips the rest of that key's value
     * without decoding it where the format allows; the next event is then the next key or opcode.
     */
    void skipValue() throws IOException;

    /**
     * Right after {@link io.redkit.core.event.KeyStart}: a hint that the caller drops this value's
     * parts. A source may then read and check the value as fully as {@link #next()} would without
     * making its parts; either way the caller goes on with next() up to the key's KeyEnd.
     */
    default void checkValue() throws IOException {
    }

    /**
     * Right after {@link io.redkit.core.event.KeyStart}: true when this source captures raw payloads and the
     * value's still fits the capture, so a caller that writes the key from its payload alone may drop the parts.
     * Only a value read whole before its KeyStart (the packed encodings) is sure to keep it to its KeyEnd.
     */
    default boolean rawPayloadKept() {
        return false;
    }
}
