/**
 * The bundled KV engine: an in-memory store with Redis's data model (16 databases; string, list, hash, set, zset,
 * stream; key and hash-field TTLs), sharded locks, a Redis-shaped command API ({@link io.redkit.kv.KvEngine#execute}),
 * and bridges to redkit's event stream (loading from any source, snapshots as events for the RDB writer).
 */
package io.redkit.kv;
