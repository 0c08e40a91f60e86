/**
 * Opening inputs: files or standard input, with the compression (gzip, bzip2, xz, zstd, lz4 frame)
 * recognised from the first bytes rather than the file name.
 */
package io.redkit.rdb.io;
