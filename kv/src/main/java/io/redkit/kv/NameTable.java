package io.redkit.kv;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A read-only table from command names to values, looked up by the raw name bytes in any ASCII case: a hash that
 * folds case as it goes and an in-place comparison, so a lookup allocates nothing (it runs for every command).
 */
final class NameTable<V> {
    /** Longer names are never commands; they are refused before hashing. */
    static final int MAX_NAME = 32;

    private final byte[][] keys;
    private final Object[] vals;
    private final int mask;

    /** A table of the entries; keys are lower-case ASCII names. */
    NameTable(Map<String, V> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
        keys = new byte[cap][];
        vals = new Object[cap];
        mask = cap - 1;
        for (Map.Entry<String, V> en : entries.entrySet()) {
            byte[] k = en.getKey().getBytes(StandardCharsets.US_ASCII);
            int i = hash(k, k.length) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            vals[i] = en.getValue();
        }
    }

    /** The value for the name in any ASCII case, or null. */
    @SuppressWarnings("unchecked")
    V get(byte[] name) {
        int n = name.length;
        if (n > MAX_NAME) {
            return null;
        }
        for (int i = hash(name, n) & mask;; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                return null;
            }
            if (k.length == n && sameIgnoringCase(k, name)) {
                return (V) vals[i];
            }
        }
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static int hash(byte[] b, int n) {
        int h = n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + lower(b[i]);
        }
        return h ^ (h >>> 15);
    }

    /** {@code lowerKey} is lower-case already. */
    private static boolean sameIgnoringCase(byte[] lowerKey, byte[] name) {
        for (int i = 0; i < lowerKey.length; i++) {
            if (lowerKey[i] != lower(name[i])) {
                return false;
            }
        }
        return true;
    }
}
