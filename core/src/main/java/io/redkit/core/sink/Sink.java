package io.redkit.core.sink;

import io.redkit.core.event.Event;

import java.io.Closeable;
import java.io.IOException;

/**
 * Receives events in source order and turns them into output. {@link #close()} is called once
 * after the last event (also after an input error, so partial output is flushed).
 */
public interface Sink extends Closeable {
    /** Consumes one event. */
    void accept(Event event) throws IOException;

    /**
     * False for a sink that ignores value parts (it looks at key headers, key ends and the other
     * events only): the pipeline then lets the source check values without making their parts.
     */
    default boolean wantsValues() {
        return true;
    }

    @Override
    default void close() throws IOException {
    }
}
