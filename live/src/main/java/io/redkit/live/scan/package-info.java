/**
 * Live servers and clusters read back as an event stream: SCAN per database, DUMP and expiry per key in pipelined
 * batches, each payload streamed through the RDB reader. Used to check a migration ({@code redkit diff}).
 */
package io.redkit.live.scan;
