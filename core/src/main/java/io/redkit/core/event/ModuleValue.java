package io.redkit.core.event;

/**
 * A module value kept raw.
 *
 * @param moduleType the 9-character type name from the module id
 * @param moduleId   the 64-bit id (54-bit name, 10-bit encoding version)
 * @param payload    the module opcode stream as stored, ending with the EOF opcode
 */
public record ModuleValue(String moduleType, long moduleId, byte[] payload, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.MODULE_VALUE;
    }
}
