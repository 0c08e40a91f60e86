package io.redkit.core.event;

/** One hash field with its value and its own absolute expiry in ms (-1 for none). */
public record HashField(byte[] field, byte[] value, long expireAtMs) {
}
