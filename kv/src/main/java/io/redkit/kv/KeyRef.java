package io.redkit.kv;

/**
 * A key opened for writing under its shard's write lock, already checked for expiry (an expired key is deleted
 * when opened). Its methods keep the shard's byte count up to date; {@link #touched()} accounts for a collection
 * changed in place and drops it when it became empty.
 */
final class KeyRef {
    final Shard sh;
    final byte[] key;
    final long now;
    private Object value;
    private long expireAt;
    private long accounted;
    /** The key had expired and was deleted when opened (a write log records that as a DEL). */
    boolean expiredOnOpen;

    /** Opens the key; {@code snapshotGen} is the running snapshot's generation (0 when none). */
    KeyRef(Shard sh, byte[] key, long now, long snapshotGen) {
        this.sh = sh;
        this.key = key;
        this.now = now;
        long exp = sh.expireOf(key);
        int slot = sh.main.find(key);
        // a write looks the key up as Redis's lookupKeyWrite does: an access for eviction
        Object v = slot < 0 ? null : sh.main.touchAt(slot, now);
        if (snapshotGen != 0 && v instanceof KvValue kv && kv.frozenGen == snapshotGen) {
            // the running snapshot holds this object: change a copy (copy-on-write per value)
            v = kv.copy();
            sh.main.put(key, v, now);
        }
        if (exp >= 0 && exp <= now && v != null) {
            sh.dataBytes -= Shard.entryBytes(key, v, true);
            sh.main.remove(key);
            sh.expires.remove(key);
            v = null;
            exp = -1;
            expiredOnOpen = true;
        }
        value = v;
        expireAt = v == null ? -1 : exp;
        accounted = v == null ? 0 : Shard.entryBytes(key, v, exp >= 0);
    }

    /** The live value (byte[] or a {@link KvValue}), or null. */
    Object value() {
        return value;
    }

    boolean exists() {
        return value != null;
    }

    /** Absolute expiry in ms, or -1. */
    long expireAt() {
        return expireAt;
    }

    /** Sets the value, keeping the TTL. */
    void set(Object v) {
        sh.main.put(key, v, now);
        value = v;
        account();
    }

    /** Sets the value and drops any TTL (SET without KEEPTTL). */
    void setClearTtl(Object v) {
        sh.main.put(key, v, now);
        value = v;
        if (expireAt >= 0) {
            sh.expires.remove(key);
            expireAt = -1;
        }
        account();
    }

    /** Deletes the key; true when it existed. */
    boolean delete() {
        if (value == null) {
            return false;
        }
        sh.main.remove(key);
        if (expireAt >= 0) {
            sh.expires.remove(key);
        }
        value = null;
        expireAt = -1;
        account();
        return true;
    }

    /** Sets an absolute expiry on an existing key; a time at or before now deletes it. */
    void expireAt(long at) {
        if (value == null) {
            return;
        }
        if (at <= now) {
            delete();
            return;
        }
        int slot = sh.main.find(key);
        sh.expires.put(sh.main.keyAt(slot), at);
        expireAt = at;
        account();
    }

    /** Removes the TTL; true when there was one. */
    boolean persist() {
        if (expireAt < 0) {
            return false;
        }
        sh.expires.remove(key);
        expireAt = -1;
        account();
        return true;
    }

    /** Accounts for an in-place change of a collection; an empty collection deletes the key. */
    void touched() {
        if (value instanceof KvValue kv && kv.isEmpty()) {
            delete();
        } else {
            account();
        }
    }

    private void account() {
        long now = value == null ? 0 : Shard.entryBytes(key, value, expireAt >= 0);
        sh.dataBytes += now - accounted;
        accounted = now;
    }
}
