package io.redkit.core.event;

/**
 * One element of an RDB 14 sparse array.
 *
 * @param index unsigned 64-bit index
 * @param tag   the storage tag: 0 SDS, 1 INT, 2 FLOAT, 3 SMALLSTR
 * @param value the value as text bytes (decimal for INT, Redis's double text for FLOAT)
 */
public record ArrayElement(long index, int tag, byte[] value) {
    public static final int TAG_SDS = 0;
    public static final int TAG_INT = 1;
    public static final int TAG_FLOAT = 2;
    public static final int TAG_SMALLSTR = 3;
}
