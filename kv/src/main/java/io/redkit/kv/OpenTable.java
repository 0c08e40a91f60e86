package io.redkit.kv;

import java.util.Arrays;

/**
 * An open-addressing hash table keyed by byte arrays (linear probing, backward-shift deletion, no tombstones),
 * the base of the keyspace, hash, set and sorted-set dictionaries. Entries hold no wrapper objects: a key costs
 * its array plus one slot, and subclasses keep values in parallel arrays.
 *
 * <p>Linear probing keeps every key in the run of occupied slots that starts at its home slot, and backward-shift
 * deletion never moves a key before its home. So "the keys whose home is slot c" plays the role of a Redis dict
 * bucket, and {@link #scan} can use Redis's reverse-binary cursor, which returns every key present for the whole
 * scan even when the table grows or shrinks between calls. Not thread-safe: the owner locks.
 */
abstract class OpenTable {
    static final int MIN_CAPACITY = 4;

    Object[] keys;
    int size;
    /**
     * This table's odd multiplier for home slots. Each table has its own, so the iteration order of one table (a
     * snapshot, an RDB written from it) is unrelated to the slots of another: inserting keys in another table's
     * slot order into a growing linear-probing table with the same slot function piles them into one ever longer
     * run (10M keys loaded back from a base took minutes). Copies keep it, as they keep the slots.
     */
    int mult = java.util.concurrent.ThreadLocalRandom.current().nextInt() | 1;

    OpenTable(int capacity) {
        keys = new Object[Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1)];
    }

    /** A 32-bit hash of the key bytes with full avalanche (FNV-style mixing per 8 bytes, then a finaliser). */
    static int hash(byte[] k) {
        long h = 0x9E3779B97F4A7C15L ^ k.length;
        int i = 0;
        int n = k.length;
        for (; i + 8 <= n; i += 8) {
            long w = (k[i] & 0xFFL) | (k[i + 1] & 0xFFL) << 8 | (k[i + 2] & 0xFFL) << 16 | (k[i + 3] & 0xFFL) << 24
                    | (k[i + 4] & 0xFFL) << 32 | (k[i + 5] & 0xFFL) << 40 | (k[i + 6] & 0xFFL) << 48
                    | (k[i + 7] & 0xFFL) << 56;
            h = Long.rotateLeft(h ^ w * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
        }
        for (; i < n; i++) {
            h = (h ^ (k[i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    final int size() {
        return size;
    }

    /** The home slot of the key: a per-table mix of its hash, masked (fixed per table, so doubling splits homes). */
    final int home(byte[] k, int mask) {
        int x = hash(k) * mult;
        return (x ^ (x >>> 16)) & mask;
    }

    final int capacity() {
        return keys.length;
    }

    /** The slot of the key, or -1. */
    final int find(byte[] k) {
        Object[] ks = keys;
        int mask = ks.length - 1;
        int i = home(k, mask);
        while (true) {
            Object o = ks[i];
            if (o == null) {
                return -1;
            }
            if (Arrays.equals((byte[]) o, k)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** The slot of the key, inserting it (value slot left for the subclass to fill) when absent: ~slot when new. */
    final int findOrInsert(byte[] k) {
        if ((size + 1) * 4L > keys.length * 3L) {
            resize(keys.length * 2);
        }
        Object[] ks = keys;
        int mask = ks.length - 1;
        int i = home(k, mask);
        while (true) {
            Object o = ks[i];
            if (o == null) {
                ks[i] = k;
                size++;
                return ~i;
            }
            if (Arrays.equals((byte[]) o, k)) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes the entry at slot i, shifting later entries of the run back (no tombstones). */
    final void removeAt(int i) {
        Object[] ks = keys;
        int mask = ks.length - 1;
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            Object o = ks[j];
            if (o == null) {
                break;
            }
            int home = home((byte[]) o, mask);
            // the entry at j may fill the hole only if its home is not cyclically inside (hole, j]
            boolean homeInRange = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!homeInRange) {
                ks[hole] = o;
                moveValue(j, hole);
                hole = j;
            }
        }
        ks[hole] = null;
        clearValue(hole);
        size--;
        if (keys.length > 64 && size * 8L < keys.length) {
            resize(keys.length / 2);
        }
    }

    /** Removes the key; true if it was present. */
    final boolean remove(byte[] k) {
        int i = find(k);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    final void resize(int newCap) {
        Object[] old = keys;
        Object oldVals = values();
        keys = new Object[newCap];
        allocValues(newCap);
        int mask = newCap - 1;
        for (int s = 0; s < old.length; s++) {
            Object o = old[s];
            if (o != null) {
                int i = home((byte[]) o, mask);
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = o;
                copyValueFrom(oldVals, s, i);
            }
        }
    }

    /** Empties the table. */
    void clear() {
        keys = new Object[MIN_CAPACITY];
        allocValues(MIN_CAPACITY);
        size = 0;
    }

    /** Index of the next occupied slot at or after i, or -1. */
    final int nextSlot(int i) {
        Object[] ks = keys;
        for (; i < ks.length; i++) {
            if (ks[i] != null) {
                return i;
            }
        }
        return -1;
    }

    final byte[] keyAt(int i) {
        return (byte[]) keys[i];
    }

    /** Receives the slots found by {@link #scan}. */
    interface SlotVisitor {
        void visit(int slot);
    }

    /**
     * Visits every key whose home slot is {@code cursor & mask} and returns the next cursor (0 when done): one step
     * of Redis's reverse-binary scan.
     */
    final long scan(long cursor, SlotVisitor v) {
        Object[] ks = keys;
        int mask = ks.length - 1;
        int home = (int) (cursor & mask);
        int i = home;
        while (true) {
            Object o = ks[i];
            if (o == null) {
                break;
            }
            if (home((byte[]) o, mask) == home) {
                v.visit(i);
            }
            i = (i + 1) & mask;
            if (i == home) {
                break;
            }
        }
        long c = cursor | ~(long) mask;
        c = Long.reverse(c);
        c++;
        c = Long.reverse(c);
        return c;
    }

    /**
     * A random occupied slot (table must not be empty). Probing forward from a random index would favour keys that
     * follow empty runs (survivors of deletions, exactly what expiry sampling must not favour), so slots are drawn
     * until one is occupied; the table is at least 1/8 full, so that takes a few draws.
     */
    final int randomSlot(java.util.Random r) {
        Object[] ks = keys;
        int mask = ks.length - 1;
        for (int t = 0; t < 64; t++) {
            int i = r.nextInt(ks.length);
            if (ks[i] != null) {
                return i;
            }
        }
        int i = r.nextInt(ks.length);
        while (ks[i] == null) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Heap bytes of the table arrays (not of keys or values). */
    long tableBytes() {
        return Mem.array(keys.length, Mem.REF);
    }

    abstract Object values();

    abstract void allocValues(int cap);

    abstract void moveValue(int from, int to);

    abstract void clearValue(int slot);

    abstract void copyValueFrom(Object oldValues, int from, int to);
}
