package io.redkit.core.event;

/**
 * Module auxiliary data (opcode 247), kept raw.
 *
 * @param moduleName the 9-character name decoded from the module id
 * @param moduleId   the 64-bit module type id (name and encoding version)
 * @param when       1 = before the keyspace, 2 = after
 * @param payload    the module opcode stream as stored, ending with the EOF opcode
 */
public record ModuleAux(String moduleName, long moduleId, int when, byte[] payload, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.MODULE_AUX;
    }
}
