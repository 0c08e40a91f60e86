package io.redkit.diff;

/**
 * One element-level difference inside a value, found by the second pass.
 *
 * @param what what differs: {@code length}, {@code offset} (strings), {@code index} (lists, arrays),
 *             {@code member} (sets, zsets: score or presence), {@code field} (hash value or presence),
 *             {@code field_ttl}, {@code entry}, {@code last_id}, {@code group} (streams), {@code insert_idx},
 *             {@code module}
 * @param item the element (member, field, index or offset as text, stream id), or null for the whole value
 * @param a    its value on side A, or null when A does not have it
 * @param b    its value on side B, or null when B does not have it
 */
public record ElementDiff(String what, byte[] item, byte[] a, byte[] b) {
}
