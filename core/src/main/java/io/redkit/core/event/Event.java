package io.redkit.core.event;

/** One item of the event stream. {@link #kind()} allows exhaustive switches on Java 17. */
public sealed interface Event permits Begin, Aux, SelectDb, ResizeDb, SlotInfo, FunctionLibrary, ModuleAux,
        KeyStart, StringPart, Elements, HashFields, ZSetMembers, StreamEntries, StreamMeta, ArrayElements,
        ModuleValue, KeyEnd, Command, End {

    /** What this event is. */
    EventKind kind();

    /** Byte offset in the source where it starts (or the replication offset); -1 when unknown. */
    long offset();
}
