/**
 * Key-by-key comparison of two datasets (RDB files, AOF files, append-only directories): a digest per
 * key computed while the events stream, sorted runs spilled to disk beyond a memory budget, a
 * merge-join of both sides, and a second pass that explains the first value differences element by element.
 */
package io.redkit.diff;
