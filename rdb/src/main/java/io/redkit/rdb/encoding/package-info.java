/**
 * The packed encodings inside RDB strings: LZF, CRC64, ziplist, listpack, intset, zipmap.
 * Decoders validate redundant header fields and every length before use, and report problems as
 * {@link io.redkit.core.RedkitException} of kind INTEGRITY with the offset inside the blob.
 */
package io.redkit.rdb.encoding;
