package io.redkit.rdb.encoding;

import io.redkit.core.Bytes;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;

/**
 * Where a packed blob (ziplist, listpack, intset, zipmap, LZF payload) came from, so a decoder's
 * error names the source, the file offset of the blob and the structure being read. The key is
 * kept as bytes and only rendered when an error is built: a context is made for every blob of a
 * file, an error almost never.
 *
 * @param source     file or stream name
 * @param fileOffset byte offset of the blob's string in the source, or -1
 * @param structure  e.g. {@code "listpack"}
 * @param key        the key whose value holds the blob, or null
 */
public record BlobContext(String source, long fileOffset, String structure, byte[] key) {

    public BlobContext(String source, long fileOffset, String what) {
        this(source, fileOffset, what, null);
    }

    /** A context for tests and standalone use. */
    public static BlobContext of(String what) {
        return new BlobContext("<blob>", -1, what, null);
    }

    /** The structure and key for messages, e.g. {@code "listpack of key 'user:9'"}. */
    public String what() {
        return key == null ? structure : structure + " of key '" + Bytes.preview(key) + "'";
    }

    /** An integrity error at {@code blobOffset} inside the blob, e.g. "entry 17: found 0xF7 (expected ...)". */
    public RedkitException corrupt(int blobOffset, String detail) {
        return new RedkitException(ErrorKind.INTEGRITY, source, fileOffset, what(),
                "at blob offset " + blobOffset + ": " + detail);
    }
}
