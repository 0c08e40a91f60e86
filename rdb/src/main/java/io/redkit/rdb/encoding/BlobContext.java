package io.redkit.rdb.encoding;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;

/**
 * Where a packed blob (ziplist, listpack, intset, zipmap, LZF payload) came from, so a decoder's
 * error names the source, the file offset of the blob and the structure being read.
 *
 * @param source     file or stream name
 * @param fileOffset byte offset of the blob's string in the source, or -1
 * @param what       e.g. {@code "listpack of key 'user:9'"}
 */
public record BlobContext(String source, long fileOffset, String what) {

    /** A context for tests and standalone use. */
    public static BlobContext of(String what) {
        return new BlobContext("<blob>", -1, what);
    }

    /** An integrity error at {@code blobOffset} inside the blob, e.g. "entry 17: found 0xF7 (expected ...)". */
    public RedkitException corrupt(int blobOffset, String detail) {
        return new RedkitException(ErrorKind.INTEGRITY, source, fileOffset, what,
                "at blob offset " + blobOffset + ": " + detail);
    }
}
