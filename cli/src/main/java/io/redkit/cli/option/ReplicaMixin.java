package io.redkit.cli.option;

import io.netty.handler.ssl.SslContext;
import io.redkit.cli.CliContext;
import io.redkit.replication.ReplicaUri;
import io.redkit.replication.ReplicationSource;
import io.redkit.replication.Tls;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reach a master: password source, TLS files, timeouts. The password comes from the URI,
 * else {@code --password-file}, else the {@code REDISCLI_AUTH} environment variable, and is never
 * printed.
 */
public final class ReplicaMixin {
    /** The environment variable redis-cli reads a password from. */
    public static final String PASSWORD_ENV = "REDISCLI_AUTH";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the master's password from FILE (first line). Also taken from $REDISCLI_AUTH.")
    Path passwordFile;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "With rediss://: trust the CAs in this PEM file.")
    File tlsCa;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "With rediss://: client certificate (PEM).")
    File tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "With rediss://: client private key (PEM, PKCS#8).")
    File tlsKey;

    @Option(names = "--tls-insecure",
            description = "With rediss://: accept any server certificate (prints a warning; testing only).")
    boolean tlsInsecure;

    @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Reconnect after this long without a byte from the master (default: ${DEFAULT-VALUE}).")
    int readTimeoutSeconds;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up connecting after this long (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

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
        if (u.password() == null && passwordFile != null) {
            String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String pw = (nl >= 0 ? text.substring(0, nl) : text).strip();
            u = u.withPassword(pw);
        }
        if (u.password() == null) {
            String pw = env.get(PASSWORD_ENV);
            if (pw != null && !pw.isEmpty()) {
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
        boolean tlsOptions = tlsCa != null || tlsCert != null || tlsKey != null || tlsInsecure;
        if (!uri.tls() && tlsOptions) {
            throw new ParameterException(mixee.commandLine(), "--tls-* options need a rediss:// address");
        }
        if (uri.tls()) {
            if (tlsInsecure) {
                ctx.err().println("redkit: warning: --tls-insecure: the master's certificate is not checked");
            }
            SslContext ssl = Tls.context(tlsCa, tlsCert, tlsKey, tlsInsecure);
            b.ssl(ssl);
        }
        return b;
    }
}
