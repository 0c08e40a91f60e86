package io.redkit.cli.option;

import io.netty.handler.ssl.SslContext;
import io.redkit.cli.CliContext;
import io.redkit.replication.Tls;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reach a live server, for every command that reads one: password source, TLS files, timeouts. A password
 * in the address wins; else {@code --password-file}, else the {@code REDISCLI_AUTH} environment variable. It is
 * never printed.
 */
public class ConnectionMixin {
    /** The environment variable redis-cli reads a password from. */
    public static final String PASSWORD_ENV = "REDISCLI_AUTH";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the server's password from FILE (first line) when the address has none. "
                    + "Also taken from $REDISCLI_AUTH.")
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
            description = "A connection that receives nothing for this long fails (a master is then reconnected "
                    + "to) (default: ${DEFAULT-VALUE}).")
    int readTimeoutSeconds;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up connecting after this long (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    /** The password of {@code --password-file}, else of {@code $REDISCLI_AUTH} in {@code env}, else null. */
    public String password(Map<String, String> env) throws IOException {
        if (passwordFile != null) {
            return firstLine(passwordFile);
        }
        String pw = env.get(PASSWORD_ENV);
        return pw == null || pw.isEmpty() ? null : pw;
    }

    /** The first line of a password file, without surrounding blanks. */
    public static String firstLine(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl >= 0 ? text.substring(0, nl) : text).strip();
    }

    /** True when any {@code --tls-*} option is given. */
    public boolean tlsOptions() {
        return tlsCa != null || tlsCert != null || tlsKey != null || tlsInsecure;
    }

    /** The TLS settings of the {@code --tls-*} options; {@code --tls-insecure} is warned about on standard error. */
    public SslContext tls(CliContext ctx, String peer) throws IOException {
        return tls(ctx, "--tls-insecure", peer, tlsCa, tlsCert, tlsKey, tlsInsecure);
    }

    /**
     * TLS settings from PEM files (each may be null), or trusting any certificate when {@code insecure}, which is
     * warned about on standard error naming the option and the peer.
     */
    public static SslContext tls(CliContext ctx, String insecureOption, String peer, File ca, File cert, File key,
                                 boolean insecure) throws IOException {
        if (insecure) {
            ctx.err().println("redkit: warning: " + insecureOption + ": the " + peer + "'s certificate is not checked");
        }
        return Tls.context(ca, cert, key, insecure);
    }

    /** {@code --connect-timeout} in seconds. */
    public int connectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    /** {@code --read-timeout} in seconds. */
    public int readTimeoutSeconds() {
        return readTimeoutSeconds;
    }
}
