package io.redkit.verify;

import io.redkit.core.event.DataType;

import java.util.Set;

/**
 * What a verified input holds, for the CI checks: counts, times, types and the largest key name.
 *
 * @param keys             keys in the RDB data (an RDB file, an AOF's RDB preamble or base); commands are not replayed
 * @param commands         AOF commands read
 * @param rdbParts         how many RDB parts were read (0 for a pure RESP AOF)
 * @param ctimeS           the newest RDB {@code ctime} aux field in unix seconds, or -1
 * @param newestTimestampS the newest AOF {@code #TS:} annotation in unix seconds, or -1
 * @param types            the key types seen
 * @param largestKeyBytes  length of the longest key name, or -1 without keys
 * @param largestKey       a printable preview of that key, or null
 * @param checksumVerified true when an RDB checksum was compared and matched
 */
public record Facts(long keys, long commands, int rdbParts, long ctimeS, long newestTimestampS, Set<DataType> types,
                    long largestKeyBytes, String largestKey, boolean checksumVerified) {

    /** Nothing seen. */
    public static Facts empty() {
        return new Facts(0, 0, 0, -1, -1, Set.of(), -1, null, false);
    }

    /** The newest time the data is known to be from: the later of ctime and the newest AOF timestamp; -1 if none. */
    public long newestTimeS() {
        return Math.max(ctimeS, newestTimestampS);
    }
}
