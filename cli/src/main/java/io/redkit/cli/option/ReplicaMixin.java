package io.redkit.cli.option;

import io.redkit.cli.CliContext;
import io.redkit.replication.ReplicaUri;
import io.redkit.replication.ReplicationSource;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.util.Map;

/**
 * How to reach a master: the {@link ConnectionMixin} options (password source, TLS files, timeouts) and the port
 * announced to it.
 */
public final class ReplicaMixin extends ConnectionMixin {
    @Option(names = "--listening-port", paramLabel = "PORT",
            description = "Port announced to the master with REPLCONF listening-port (default: the local port).")
    Integer listeningPort;

    /** Parses {@code uri} and fills in the password; a bad URI is a usage error. */
    public ReplicaUri uri(String uri, Map<String, String> env) throws IOException {
        ReplicaUri u;
        try {
            u = ReplicaUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "bad master address: " + e.getMessage());
        }
        if (u.password() == null) {
            String pw = password(env);
            if (pw != null) {
                u = u.withPassword(pw);
            }
        }
        return u;
    }

    /** A source builder for {@code uri} with these options applied. */
    public ReplicationSource.Builder builder(ReplicaUri uri, CliContext ctx) throws IOException {
        ReplicationSource.Builder b = ReplicationSource.builder(uri)
                .readTimeoutMillis(readTimeoutSeconds * 1000L)
                .connectTimeoutMillis(connectTimeoutSeconds * 1000);
        if (listeningPort != null) {
            b.listeningPort(listeningPort);
        }
        if (!uri.tls() && tlsOptions()) {
            throw new ParameterException(mixee.commandLine(), "--tls-* options need a rediss:// address");
        }
        if (uri.tls()) {
            b.ssl(tls(ctx, "master"));
        }
        return b;
    }
}
