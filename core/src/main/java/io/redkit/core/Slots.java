package io.redkit.core;

/**
 * Redis Cluster's key slots: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key, or of its hash tag
 * (the bytes between the first '{' and the next '}', when not empty), modulo 16384.
 */
public final class Slots {
    /** Number of slots of a Redis Cluster. */
    public static final int COUNT = 16384;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 8;
            for (int b = 0; b < 8; b++) {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            }
            TABLE[i] = c & 0xFFFF;
        }
    }

    private Slots() {
    }

    /** The slot of a key, 0..16383. */
    public static int slot(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int j = open + 1; j < key.length; j++) {
                if (key[j] == '}') {
                    if (j > open + 1) {
                        return crc16(key, open + 1, j) & (COUNT - 1);
                    }
                    break;
                }
            }
        }
        return crc16(key, 0, key.length) & (COUNT - 1);
    }

    /** CRC16-XMODEM of {@code b[from, to)}. */
    public static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }
}
