/**
 * Writing RDB files and DUMP payloads from the event stream: {@link io.redkit.rdb.writer.RdbWriter}
 * (a sink), {@link io.redkit.rdb.writer.DumpPayload} (RESTORE payloads) and
 * {@link io.redkit.rdb.writer.AtomicFileOutput} (write to a temp file, rename when complete).
 */
package io.redkit.rdb.writer;
