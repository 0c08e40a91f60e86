package io.redkit.kv.server;

import java.util.Arrays;

/** A key in a database, with value equality (for the WATCH and blocked-client registries). */
final class DbKey {
    final int db;
    final byte[] key;
    private final int hash;

    DbKey(int db, byte[] key) {
        this.db = db;
        this.key = key;
        this.hash = Arrays.hashCode(key) * 31 + db;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DbKey k && k.db == db && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
