/**
 * {@code redkit shell}: an interactive (or scripted) browser over an RDB file, an AOF, a KV data directory or a
 * live Redis server. Over files it works from a compact key index (keys and metadata only, never values) and
 * re-reads a value from the file when it is asked for.
 */
package io.redkit.cli.shell;
