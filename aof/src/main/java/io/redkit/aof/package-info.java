/**
 * Append-only files in every form: the RESP command reader, the Redis 7 manifest, single files
 * (pure RESP or with an RDB preamble) and multi-part directories as one event source, and
 * {@link io.redkit.aof.Sources} which opens any RDB or AOF input by its content.
 */
package io.redkit.aof;
