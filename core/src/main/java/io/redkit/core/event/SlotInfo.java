package io.redkit.core.event;

/** Cluster slot hint written before the first key of a slot (opcode 244). */
public record SlotInfo(int slot, long keys, long expires, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.SLOT_INFO;
    }
}
