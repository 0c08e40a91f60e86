package io.redkit.core.event;

/** A key begins; its value parts follow, then {@link KeyEnd}. */
public record KeyStart(KeyHeader header) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.KEY_START;
    }

    @Override
    public long offset() {
        return header.offset();
    }
}
