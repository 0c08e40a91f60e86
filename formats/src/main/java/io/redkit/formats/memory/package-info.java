/**
 * Memory estimates: {@link io.redkit.formats.memory.MemoryEstimator} models how a Redis 7.0
 * server lays each key out in memory (jemalloc size classes, robj, sds headers, dict entries,
 * listpacks, quicklist and skiplist nodes, stream radix trees); {@link io.redkit.formats.memory.MemorySink}
 * prints it per key in the redis-rdb-tools memory-report CSV layout.
 */
package io.redkit.formats.memory;
