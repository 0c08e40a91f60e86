package io.redkit.kv;

/**
 * The 24-bit access clock Redis keeps per key for eviction, in one of two readings chosen by the eviction policy.
 * LRU: the time of the last access in seconds, modulo 2^24. LFU: the time of the last decrement in minutes
 * (16 bits, modulo 2^16) above an 8-bit logarithmic access counter that starts at 5, is incremented with
 * probability 1 / ((counter - 5) * lfu-log-factor + 1) and loses one per lfu-decay-time minutes idle. Switching
 * between LFU and LRU readings restarts every key's value (see {@link KvEngine#maxMemoryPolicy(EvictionPolicy)}).
 */
final class AccessClock {
    static final int LRU_MAX = (1 << 24) - 1;
    static final int LFU_INIT = 5;
    /** Redis's defaults of lfu-log-factor and lfu-decay-time. */
    static final int LFU_LOG_FACTOR = 10;
    static final int LFU_DECAY_MINUTES = 1;

    /** The engine's time source. */
    final Clock time;

    AccessClock(Clock time) {
        this.time = time;
    }

    /** True under an LFU policy; read without a lock on every access, so a policy change takes effect at once. */
    volatile boolean lfu;

    /** The value for a key created now. */
    int fresh(long nowMs) {
        return lfu ? minutes(nowMs) << 8 | LFU_INIT : lruClock(nowMs);
    }

    /** The value after an access now to a key whose value was {@code old}. */
    int touch(int old, long nowMs) {
        if (!lfu) {
            return lruClock(nowMs);
        }
        return minutes(nowMs) << 8 | logIncrement(decayed(old, nowMs));
    }

    static int lruClock(long nowMs) {
        return (int) ((nowMs / 1000) & LRU_MAX);
    }

    /** Estimated milliseconds since the last access of an LRU value (the clock wraps every 194 days). */
    static long idleMs(int v, long nowMs) {
        int c = lruClock(nowMs);
        return c >= v ? (c - v) * 1000L : (c + (long) (LRU_MAX - v)) * 1000L;
    }

    static int minutes(long nowMs) {
        return (int) ((nowMs / 60_000) & 0xFFFF);
    }

    /** The LFU counter of the value, decayed by the whole minutes since its last decrement (not stored). */
    static int decayed(int v, long nowMs) {
        int ldt = (v >>> 8) & 0xFFFF;
        int counter = v & 0xFF;
        int now = minutes(nowMs);
        long elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
        long periods = elapsed / LFU_DECAY_MINUTES;
        return periods > counter ? 0 : (int) (counter - periods);
    }

    private static int logIncrement(int counter) {
        if (counter == 255) {
            return 255;
        }
        int base = Math.max(0, counter - LFU_INIT);
        double p = 1.0 / (base * LFU_LOG_FACTOR + 1);
        return java.util.concurrent.ThreadLocalRandom.current().nextDouble() < p ? counter + 1 : counter;
    }
}
