package io.redkit.live.target;

import io.redkit.core.Slots;

import java.nio.charset.StandardCharsets;

/**
 * Names of the scratch keys a value is built in before its RENAME: {@code redkit:tmp:{TAG}:N} where TAG is chosen so
 * that the scratch key hashes to the slot of the key it becomes (RENAME needs both in one slot of a cluster).
 */
final class TempKeys {
    private final byte[][] tagBySlot = new byte[Slots.COUNT][];
    private final String prefix;

    /** {@code run} makes names of concurrent migrations differ. */
    TempKeys(String run) {
        this.prefix = "redkit:tmp:" + run + ":{";
        int found = 0;
        for (int i = 0; found < Slots.COUNT; i++) {
            byte[] t = Integer.toString(i, 36).getBytes(StandardCharsets.US_ASCII);
            int s = Slots.crc16(t, 0, t.length) & (Slots.COUNT - 1);
            if (tagBySlot[s] == null) {
                tagBySlot[s] = t;
                found++;
            }
        }
    }

    /** A scratch key in the slot of {@code key}, distinct per {@code n}. */
    byte[] forKey(byte[] key, long n) {
        byte[] tag = tagBySlot[Slots.slot(key)];
        return (prefix + new String(tag, StandardCharsets.US_ASCII) + "}:" + n).getBytes(StandardCharsets.US_ASCII);
    }
}
