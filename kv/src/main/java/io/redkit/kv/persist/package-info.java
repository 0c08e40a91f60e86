/**
 * Persistence of the KV engine in Redis 7's multi-part append-only directory: an RDB base written by redkit's RDB
 * writer, RESP increments written with group commit ({@code fsync always|everysec|no}), an atomically replaced
 * manifest, recovery with torn-tail repair, and BGREWRITEAOF-style rewrites from point-in-time snapshots.
 */
package io.redkit.kv.persist;
