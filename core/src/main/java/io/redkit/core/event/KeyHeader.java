package io.redkit.core.event;

/**
 * A key and its metadata, as carried by {@link KeyStart} and {@link KeyEnd}.
 *
 * @param db          database number
 * @param key         the key bytes
 * @param type        the user-visible type
 * @param encoding    the on-disk encoding name, e.g. {@code "listpack"}, {@code "quicklist2"}
 * @param expireAtMs  absolute expiry in unix milliseconds, or -1 for none
 * @param idleSeconds LRU idle time, or -1
 * @param lfuFreq     LFU counter 0..255, or -1
 * @param sizeHint    element count (bytes for strings) when the source states it up front, else -1
 * @param offset      byte offset of the key's first prefix or type byte
 */
public record KeyHeader(int db, byte[] key, DataType type, String encoding, long expireAtMs, long idleSeconds,
                        int lfuFreq, long sizeHint, long offset) {

    /** True when the key has an expiry at or before {@code nowMs}. */
    public boolean isExpiredAt(long nowMs) {
        return expireAtMs >= 0 && expireAtMs <= nowMs;
    }
}
