/**
 * A PSYNC replica client on Netty: the replica handshake, full resyncs parsed as they stream, the
 * command stream with exact offsets, acknowledgements, and reconnects that resume with a partial
 * resync. {@link io.redkit.replication.ReplicationSource} exposes it all as a pull
 * {@link io.redkit.core.sink.EventSource}.
 */
package io.redkit.replication;
