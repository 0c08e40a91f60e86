package io.redkit.diff;

import java.util.Arrays;

/** A key's place: database and key bytes, compared by content (a map key for the second pass). */
public record KeyRef(int db, byte[] key) {
    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRef k && k.db == db && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return 31 * db + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return db + ":" + io.redkit.core.Bytes.preview(key);
    }
}
