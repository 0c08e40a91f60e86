package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;

/**
 * Receives the entries of a ziplist, listpack or zipmap in order without allocation: string
 * entries as a slice of the blob (valid only during the call), integer entries as a long.
 */
public interface EntryVisitor {
    /** A string entry: {@code len} bytes of {@code buf} from {@code off}. */
    void string(byte[] buf, int off, int len) throws RedkitException;

    /** An integer entry. */
    void integer(long value) throws RedkitException;
}
