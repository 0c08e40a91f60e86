package io.redkit.kv;

import io.redkit.core.event.DataType;

/** A set: a {@link KeySet} of member arrays. */
final class KvSet extends KvValue {
    KeySet members = new KeySet(4);
    long elemBytes;

    @Override
    DataType type() {
        return DataType.SET;
    }

    boolean add(byte[] m) {
        if (members.add(m)) {
            elemBytes += Mem.bytes(m);
            return true;
        }
        return false;
    }

    boolean remove(byte[] m) {
        if (members.remove(m)) {
            elemBytes -= Mem.bytes(m);
            return true;
        }
        return false;
    }

    /** Removes and returns the member at the slot. */
    byte[] removeSlot(int slot) {
        byte[] m = members.keyAt(slot);
        members.removeAt(slot);
        elemBytes -= Mem.bytes(m);
        return m;
    }

    int size() {
        return members.size();
    }

    @Override
    boolean isEmpty() {
        return members.size() == 0;
    }

    @Override
    KvSet copy() {
        KvSet c = new KvSet();
        c.members = members.copy();
        c.elemBytes = elemBytes;
        return c;
    }

    @Override
    long bytes() {
        return Mem.object(12) + Mem.object(8) + members.tableBytes() + elemBytes;
    }
}
