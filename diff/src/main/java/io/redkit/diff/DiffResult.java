package io.redkit.diff;

import java.util.List;

/**
 * The outcome of a comparison: counts over all keys and the first differences in (db, key) order.
 *
 * @param a           side A: path, what it was, keys compared
 * @param b           side B
 * @param same        keys equal on both sides
 * @param missing     keys in A only
 * @param extra       keys in B only
 * @param type        keys of different types
 * @param value       keys of the same type with different values
 * @param ttl         keys with different expiry (a key may count as both value and ttl)
 * @param different   keys that differ in any way
 * @param differences the first differing keys, at most {@link DiffOptions#maxDiffs()}
 * @param spilledRuns sorted runs written to temporary files (0 when everything fit the budget)
 */
public record DiffResult(Side a, Side b, long same, long missing, long extra, long type, long value, long ttl,
                         long different, List<Difference> differences, int spilledRuns) {

    /**
     * One side.
     *
     * @param path        as given
     * @param description what it was read as ({@code RDB}, {@code append-only directory (replayed)}...)
     * @param keys        keys compared (after the filter)
     */
    public record Side(String path, String description, long keys) {
    }

    /** True when no key differs. */
    public boolean isSame() {
        return different == 0;
    }
}
