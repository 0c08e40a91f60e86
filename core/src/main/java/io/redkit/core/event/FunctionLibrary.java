package io.redkit.core.event;

/** A function library's full source ({@code #!lua name=...}). Not a key. */
public record FunctionLibrary(byte[] code, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.FUNCTION_LIBRARY;
    }
}
