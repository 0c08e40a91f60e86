package io.redkit.live.net;

import io.redkit.replication.ReplicaUri;

/** A server address. */
public record HostPort(String host, int port) {
    /** Parses {@code host:port} (IPv6 in brackets) as every server address does; a missing port is {@code defaultPort}. */
    public static HostPort parse(String s, int defaultPort) {
        ReplicaUri.Endpoint e = ReplicaUri.Endpoint.parse(s, defaultPort);
        return new HostPort(e.host(), e.port());
    }

    @Override
    public String toString() {
        return new ReplicaUri.Endpoint(host, port).toString();
    }
}
