package io.redkit.live.scan;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.redkit.core.Limits;
import io.redkit.live.net.BlockingRespClient;
import io.redkit.replication.Tls;

import javax.net.ssl.SSLSocketFactory;
import java.io.File;
import java.io.IOException;

/**
 * How a {@link ScanSource} reads a live server: keys per SCAN batch, limits on what the server sends, timeouts,
 * credentials (overriding the address's) and TLS. Immutable; {@code with*} methods return copies.
 *
 * @param batch            keys asked per SCAN (COUNT), and so DUMPs per pipeline
 * @param limits           bounds on replies (a DUMP payload is bounded by the maximum string length)
 * @param connectTimeoutMs connect timeout
 * @param readTimeoutMs    a reply not progressing for this long fails the read (0: wait forever)
 * @param user             ACL user when the address names none, or null
 * @param password         password when the address has none, or null
 * @param tls              socket factory for TLS connections, or null for plain TCP
 */
public record ScanOptions(int batch, Limits limits, int connectTimeoutMs, int readTimeoutMs, String user,
                          String password, SSLSocketFactory tls) {
    /** Checks the settings. */
    public ScanOptions {
        if (batch < 1 || batch > 100_000) {
            throw new IllegalArgumentException("batch " + batch + " is outside 1..100000");
        }
        if (connectTimeoutMs < 0 || readTimeoutMs < 0) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits must be given");
        }
    }

    /** 100 keys per batch, default limits, 10 s to connect, 60 s for a reply to progress, no TLS. */
    public static ScanOptions defaults() {
        return new ScanOptions(100, Limits.defaults(), 10_000, 60_000, null, null, null);
    }

    /** With another batch size. */
    public ScanOptions withBatch(int n) {
        return new ScanOptions(n, limits, connectTimeoutMs, readTimeoutMs, user, password, tls);
    }

    /** With other limits. */
    public ScanOptions withLimits(Limits l) {
        return new ScanOptions(batch, l, connectTimeoutMs, readTimeoutMs, user, password, tls);
    }

    /** With other timeouts. */
    public ScanOptions withTimeouts(int connectMs, int readMs) {
        return new ScanOptions(batch, limits, connectMs, readMs, user, password, tls);
    }

    /** With credentials for addresses that carry none (an address's own user and password win). */
    public ScanOptions withCredentials(String u, String pw) {
        return new ScanOptions(batch, limits, connectTimeoutMs, readTimeoutMs, u, pw, tls);
    }

    /** With a TLS socket factory (used for {@code rediss://}, and for cluster nodes when set). */
    public ScanOptions withTls(SSLSocketFactory f) {
        return new ScanOptions(batch, limits, connectTimeoutMs, readTimeoutMs, user, password, f);
    }

    /** A connection to {@code host:port} with these timeouts, limits, TLS and credentials. */
    BlockingRespClient connect(String host, int port) throws IOException {
        return BlockingRespClient.connect(host, port, connectTimeoutMs, readTimeoutMs, tls, limits)
                .auth(user, password);
    }

    /**
     * A TLS socket factory from the same settings as replication's ({@link Tls#context}): CA and client certificate
     * as PEM files (each may be null), or any certificate trusted when {@code insecure}.
     */
    public static SSLSocketFactory tlsFactory(File ca, File cert, File key, boolean insecure) throws IOException {
        return socketFactory(Tls.context(ca, cert, key, insecure));
    }

    /** The blocking socket factory of TLS settings made for Netty (the JDK provider's; another offers none). */
    public static SSLSocketFactory socketFactory(SslContext c) throws IOException {
        if (c instanceof JdkSslContext j) {
            return j.context().getSocketFactory();
        }
        throw new IOException("the TLS provider in use offers no blocking sockets (" + c.getClass().getName() + ")");
    }
}
