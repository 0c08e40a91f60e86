package io.redkit.core.event;

/**
 * Bytes of a string value. A small string arrives as one part with {@code last} true; a big
 * one as consecutive parts of bounded size.
 */
public record StringPart(byte[] data, boolean last, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.STRING_PART;
    }
}
