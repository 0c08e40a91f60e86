package io.redkit.kv;

import io.redkit.core.event.DataType;
import io.redkit.core.event.ModuleValue;

/**
 * A module type's value, held as the module serialised it (its 64-bit type id and §7 opcode stream): the engine runs
 * no modules, but it keeps such keys through loads, snapshots, DUMP/RESTORE, RENAME and expiry instead of losing
 * them, as a Redis with the module loaded would. Every type-specific command gets WRONGTYPE.
 */
final class KvModule extends KvValue {
    final String moduleType;
    final long moduleId;
    /** Never changed: copies share it. */
    final byte[] payload;

    KvModule(String moduleType, long moduleId, byte[] payload) {
        this.moduleType = moduleType;
        this.moduleId = moduleId;
        this.payload = payload;
    }

    /** The value as read, with a pre-release (type 6) payload turned into an opcode stream; null when it cannot be. */
    static KvModule of(ModuleValue v) {
        byte[] p = io.redkit.rdb.writer.ModulePayload.opcodeStream(v);
        return p == null ? null : new KvModule(v.moduleType(), v.moduleId(), p);
    }

    /** The event a snapshot or DUMP writes for it. */
    ModuleValue event() {
        return new ModuleValue(moduleType, moduleId, payload, -1);
    }

    @Override
    DataType type() {
        return DataType.MODULE;
    }

    @Override
    KvValue copy() {
        return new KvModule(moduleType, moduleId, payload);
    }

    @Override
    long bytes() {
        return Mem.object(4 + 8 + 4) + Mem.bytes(payload) + 2 * (Mem.OBJECT_HEADER + 12);
    }

    @Override
    boolean isEmpty() {
        return false;
    }
}
