package io.redkit.kv;

import io.redkit.core.event.DataType;

/**
 * A hash: field to value in an {@link ObjMap}, and, only when some field has its own TTL, a {@link LongMap} of
 * field expiry times (Redis 7.4 hash-field expiration). Expired fields are invisible to reads and removed by the
 * next write to the key.
 */
final class KvHash extends KvValue {
    ObjMap fields = new ObjMap(4);
    LongMap ttl;
    long elemBytes;

    @Override
    DataType type() {
        return DataType.HASH;
    }

    /** The live value of the field at {@code now}, or null. */
    byte[] get(byte[] f, long now) {
        int i = fields.find(f);
        if (i < 0 || expired(fields.keyAt(i), now)) {
            return null;
        }
        return (byte[]) fields.valAt(i);
    }

    boolean expired(byte[] f, long now) {
        if (ttl == null) {
            return false;
        }
        long t = ttl.get(f, -1);
        return t >= 0 && t <= now;
    }

    /** The field's expiry time, or -1. */
    long fieldExpire(byte[] f) {
        return ttl == null ? -1 : ttl.get(f, -1);
    }

    /** Sets the field (its TTL is dropped, as HSET does); true when it is new. */
    boolean put(byte[] f, byte[] v) {
        int i = fields.findOrInsert(f);
        if (i < 0) {
            fields.vals[~i] = v;
            elemBytes += Mem.bytes(f) + Mem.bytes(v);
            return true;
        }
        elemBytes += Mem.bytes(v) - Mem.bytes((byte[]) fields.vals[i]);
        fields.vals[i] = v;
        if (ttl != null && ttl.remove(f)) {
            dropTtlIfEmpty();
        }
        return false;
    }

    boolean remove(byte[] f) {
        int i = fields.find(f);
        if (i < 0) {
            return false;
        }
        elemBytes -= Mem.bytes(fields.keyAt(i)) + Mem.bytes((byte[]) fields.valAt(i));
        fields.removeAt(i);
        if (ttl != null && ttl.remove(f)) {
            dropTtlIfEmpty();
        }
        return true;
    }

    void setFieldExpire(byte[] f, long at) {
        if (ttl == null) {
            ttl = new LongMap(4);
        }
        int i = fields.find(f);
        ttl.put(i >= 0 ? fields.keyAt(i) : f, at);
    }

    boolean persistField(byte[] f) {
        if (ttl != null && ttl.remove(f)) {
            dropTtlIfEmpty();
            return true;
        }
        return false;
    }

    private void dropTtlIfEmpty() {
        if (ttl.size() == 0) {
            ttl = null;
        }
    }

    /** Removes fields expired at {@code now}; returns how many. */
    int purge(long now) {
        if (ttl == null) {
            return 0;
        }
        java.util.ArrayList<byte[]> dead = null;
        for (int i = ttl.nextSlot(0); i >= 0; i = ttl.nextSlot(i + 1)) {
            if (ttl.valAt(i) <= now) {
                if (dead == null) {
                    dead = new java.util.ArrayList<>();
                }
                dead.add(ttl.keyAt(i));
            }
        }
        if (dead == null) {
            return 0;
        }
        for (byte[] f : dead) {
            remove(f);
        }
        return dead.size();
    }

    /** Live fields at {@code now}. */
    int liveSize(long now) {
        if (ttl == null) {
            return fields.size();
        }
        int n = 0;
        for (int i = fields.nextSlot(0); i >= 0; i = fields.nextSlot(i + 1)) {
            if (!expired(fields.keyAt(i), now)) {
                n++;
            }
        }
        return n;
    }

    @Override
    boolean isEmpty() {
        return fields.size() == 0;
    }

    @Override
    KvHash copy() {
        KvHash c = new KvHash();
        c.fields = fields.copy();
        c.ttl = ttl == null ? null : ttl.copy();
        c.elemBytes = elemBytes;
        return c;
    }

    @Override
    long bytes() {
        return Mem.object(16) + Mem.object(8) + fields.tableBytes()
                + (ttl == null ? 0 : Mem.object(8) + ttl.tableBytes()) + elemBytes;
    }
}
